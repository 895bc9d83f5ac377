// A progress bar on stderr for long runs, only when stderr is a terminal: piped or captured output stays clean.
export interface Progress {
  update(label: string, fraction: number): void;
  done(): void;
}

const NONE: Progress = { update() {}, done() {} };

export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return NONE;
  let last = "";
  return {
    update(label, fraction) {
      const width = 30;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
      const line = `\r${label.padEnd(24).slice(0, 24)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.round(fraction * 100)}%`;
      if (line !== last) stream.write(line);
      last = line;
    },
    done() {
      if (last !== "") stream.write(`\r${" ".repeat(last.length)}\r`);
      last = "";
    },
  };
}
