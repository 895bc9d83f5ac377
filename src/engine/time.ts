// Simulated time is an integer count of microseconds. Helpers convert at the edges, where humans type
// milliseconds and seconds; inside the simulation every time and duration is a TimeUs.

/** An integer number of microseconds (a point in simulated time, or a duration). */
export type TimeUs = number;

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;

/** Rounds to the nearest whole microsecond, so durations drawn from continuous distributions stay integral. */
export function us(value: number): TimeUs {
  return Math.round(value);
}

export function ms(value: number): TimeUs {
  return Math.round(value * US_PER_MS);
}

export function seconds(value: number): TimeUs {
  return Math.round(value * US_PER_SECOND);
}

export function minutes(value: number): TimeUs {
  return Math.round(value * 60 * US_PER_SECOND);
}

export function toMs(timeUs: TimeUs): number {
  return timeUs / US_PER_MS;
}

export function toSeconds(timeUs: TimeUs): number {
  return timeUs / US_PER_SECOND;
}

/** A short human form for messages and tables: 750us, 12.5ms, 3s, 2m30s. */
export function formatDuration(timeUs: TimeUs): string {
  if (timeUs < US_PER_MS) return `${timeUs}us`;
  if (timeUs < US_PER_SECOND) return `${trim(timeUs / US_PER_MS)}ms`;
  if (timeUs < 60 * US_PER_SECOND) return `${trim(timeUs / US_PER_SECOND)}s`;
  const wholeMinutes = Math.floor(timeUs / (60 * US_PER_SECOND));
  const rest = timeUs - wholeMinutes * 60 * US_PER_SECOND;
  return rest === 0 ? `${wholeMinutes}m` : `${wholeMinutes}m${trim(rest / US_PER_SECOND)}s`;
}

function trim(value: number): string {
  return Number(value.toFixed(3)).toString();
}
