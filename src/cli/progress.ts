// A progress bar on stderr for long runs, only when stderr is a terminal: piped or captured output stays clean.
// It shows the fraction done, the time so far and an estimate of the time left (elapsed x (1 - f) / f, once
// there is enough to go on), and redraws at least once a second: on every update at most ten times a second,
// and from a timer while the work runs on worker threads and the main thread only waits.
export interface Progress {
  /** `fraction` is of the whole job (every variant and seed), from 0 to 1. */
  update(label: string, fraction: number): void;
  /** One line before the work starts (an estimate of how long it will take). */
  announce(text: string): void;
  done(): void;
}

export interface ProgressOptions {
  /** Seconds on a monotonic clock; tests pass their own. */
  now?: () => number;
  /** Redraw from a timer (off in tests, which drive `now`). */
  timer?: boolean;
}

const NONE: Progress = { update() {}, announce() {}, done() {} };

const BAR_WIDTH = 30;
const MIN_REDRAW_SECONDS = 0.1;
const TIMER_SECONDS = 1;

const monotonicSeconds = (): number => Number(process.hrtime.bigint()) / 1e9;

export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr, options: ProgressOptions = {}): Progress {
  if (stream.isTTY !== true) return NONE;
  const now = options.now ?? monotonicSeconds;
  const start = now();
  let label = "";
  let fraction = 0;
  let last = "";
  let drawnAt = -Infinity;
  const draw = (): void => {
    const line = `\r${progressLine(label, fraction, now() - start)}`;
    drawnAt = now();
    if (line === last) return;
    // Pad over a longer previous line so no characters of it are left behind.
    stream.write(line.length < last.length ? line.padEnd(last.length) : line);
    last = line;
  };
  const timer = options.timer === false ? null : setInterval(() => last !== "" && draw(), TIMER_SECONDS * 1000);
  timer?.unref();
  return {
    update(nextLabel, nextFraction) {
      label = nextLabel;
      fraction = Math.min(1, Math.max(0, nextFraction));
      if (now() - drawnAt >= MIN_REDRAW_SECONDS) draw();
    },
    announce(text) {
      stream.write(`${text}\n`);
    },
    done() {
      if (timer !== null) clearInterval(timer);
      if (last !== "") stream.write(`\r${" ".repeat(last.length)}\r`);
      last = "";
    },
  };
}

/** `http  [#########.....]  31%  4s, about 9s left` (no estimate until 1% is done and half a second has passed). */
export function progressLine(label: string, fraction: number, elapsedSeconds: number): string {
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const left = fraction >= 0.01 && elapsedSeconds >= 0.5 ? `, about ${formatSeconds((elapsedSeconds * (1 - fraction)) / fraction)} left` : "";
  return `${label.padEnd(24).slice(0, 24)} ${bar} ${percent}  ${formatSeconds(elapsedSeconds)}${left}`;
}

/** 7s, 1m05s, 1h02m: whole seconds, since an estimate is no better than that. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
