// Option parsers for commander that reject bad input with a message commander prints (exit code 2).
import { InvalidArgumentError } from "commander";

export function parseIntegerOption(value: string): number {
  const parsed = Number(value.replaceAll("_", ""));
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return parsed;
}

export function parseNumberOption(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return parsed;
}
