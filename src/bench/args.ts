// `--key=value` arguments for the benchmark scripts, typed by their defaults (the baseline's convention).
export function parseArgs<T extends Record<string, string | number>>(argv: readonly string[], defaults: T): T {
  const options: Record<string, string | number> = { ...defaults };
  for (const arg of argv) {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`expected --key=value, got "${arg}"`);
    const [, key, value] = match as unknown as [string, string, string];
    if (!(key in defaults)) throw new Error(`unknown option --${key}; known: ${Object.keys(defaults).join(", ")}`);
    options[key] = typeof defaults[key] === "number" ? Number(value) : value;
  }
  return options as T;
}
