// Numbers for people, identical on every machine: no toLocaleString (its output depends on the host's ICU data and
// locale), so the same report renders byte for byte the same everywhere.

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
