// The formatters a prose value may name: `{{ bh.tcp.requests.lostFraction | percent }}`. They reuse the report's
// number formats (no toLocaleString: its output depends on the host's locale data), so a number in the prose
// reads exactly as the same number in the tables beside it.
import { formatCount, formatMs, formatPercent, formatValue } from "../report/format.js";

export const FORMATTERS: Readonly<Record<string, (value: number) => string>> = {
  /** Four significant digits, thousands separated: 1,144 or 0.3587. */
  none: formatValue,
  /** A fraction as a percentage: 0.3587 -> 35.87%. */
  percent: formatPercent,
  /** Milliseconds with about three significant digits and the unit: 162 ms, 25.6 ms. */
  ms: (value) => `${formatMs(value)} ms`,
  /** Rounded to a whole number, thousands separated: 12,951. */
  int: formatCount,
  fixed1: (value) => (Number.isFinite(value) ? value.toFixed(1) : String(value)),
  fixed2: (value) => (Number.isFinite(value) ? value.toFixed(2) : String(value)),
};

export const FORMATTER_NAMES = Object.keys(FORMATTERS);
