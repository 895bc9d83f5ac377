// Numbers for people, identical on every machine: no toLocaleString (its output depends on the host's ICU data and
// locale), so the same report renders byte for byte the same everywhere.
import type { MetricUnit } from "./report-data.js";

/** 1234567 -> "1,234,567". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.round(value);
  const sign = rounded < 0 ? "-" : "";
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Latency in ms with about three significant digits: 0.42, 4.20, 42.0, 420. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return formatCount(value);
  return value.toFixed(magnitude >= 10 ? 1 : 2);
}

/** A fraction as a percentage; small non-zero fractions keep their digits so 0.0004 does not read as 0%. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  const percent = fraction * 100;
  if (percent === 0) return "0%";
  if (Math.abs(percent) < 0.001) return percent > 0 ? "<0.001%" : ">-0.001%";
  return `${percent.toFixed(Math.abs(percent) < 0.1 ? 3 : 2)}%`;
}

/** Any measured value (a comparison mean, an expectation's actual): four significant digits, no exponent for
 * ordinary magnitudes. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return formatCount(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return formatCount(value);
  return String(Number(value.toPrecision(4)));
}

/**
 * A compared metric's value with three significant digits, so a small difference never prints as zero or loses
 * its sign (a CI that excluded zero once read "[-0.01%, -0.00%]"): fractions as percent (-0.00412%),
 * milliseconds and counts with at least their integer digits (3883 ms, 0.512 ms, 12.3).
 */
export function formatMeasured(value: number, unit: MetricUnit, significant = 3): string {
  if (!Number.isFinite(value)) return value > 0 ? "inf" : value < 0 ? "-inf" : "-";
  const shown = unit === "%" ? value * 100 : value;
  if (shown === 0) return unit === "%" ? "0%" : unit === "ms" ? "0 ms" : "0";
  const magnitude = Math.floor(Math.log10(Math.abs(shown)));
  const decimals = Math.min(12, Math.max(unit === "%" ? 2 : 0, significant - 1 - magnitude));
  const text = shown.toFixed(decimals);
  return unit === "%" ? `${text}%` : unit === "ms" ? `${text} ms` : text;
}
