// What an import builds before it is written out: the scenario's `lb` fields, each with the directive and line it
// came from, the backends, and every directive that was not mapped: `notModelled` (it changes what the balancer does,
// but lbsim has no equivalent, so the prediction may differ) or `ignored` (it has no bearing on balancing: logging,
// TLS, headers, process settings). Nothing is dropped silently: both lists are written into the scenario.
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import type { LbProxy } from "../scenario/schema/proxy-defaults.js";
import type { NotCarried } from "./types.js";

/** Where a value came from: the 1-based line and the directive as written. */
export interface Origin {
  line: number;
  directive: string;
}

export interface DraftBackend {
  name: string;
  address: string;
  weight: number;
  backup: boolean;
  from: Origin;
}

export class ImportDraft {
  /** Dotted paths under `lb` (`retries.tries`), in the order first set; a later set replaces the value and origin. */
  readonly lb = new Map<string, { value: unknown; from: Origin }>();
  readonly backends: DraftBackend[] = [];
  readonly notModelled: NotCarried[] = [];
  readonly ignored: NotCarried[] = [];

  constructor(readonly proxy: LbProxy, readonly file: string, public name: string) {}

  set(path: string, value: unknown, from: Origin): void {
    this.lb.set(path, { value, from });
  }

  get(path: string): unknown {
    return this.lb.get(path)?.value;
  }

  notModel(from: Origin, why: string): void {
    this.notModelled.push({ what: from.directive, line: from.line, why });
  }

  ignore(from: Origin, why: string): void {
    this.ignored.push({ what: from.directive, line: from.line, why });
  }

  /** A parse error: the file does not say something lbsim can read (exit 2, file:line). */
  fail(line: number, message: string, expected: string): never {
    throw configError(this.file, line, message, expected);
  }
}

export function configError(file: string, line: number, message: string, expected: string): ScenarioError {
  return new ScenarioError([{ file, line, column: 1, path: "", message, expected }]);
}

/** A scenario name from a proxy's name for the tier (`be_app` -> `be_app`, `10.0.0.1` -> `s10.0.0.1`). */
export function scenarioName(text: string): string {
  const cleaned = text.replace(/[^a-z0-9_.-]/gi, "-").replace(/^-+/, "");
  return cleaned.length === 0 ? "imported" : cleaned;
}

/** A backend name lbsim accepts (letters, digits, - and _, starting with a letter). */
export function backendName(text: string, taken: ReadonlySet<string>): string {
  let name = text.replace(/[^a-z0-9_-]/gi, "-");
  if (!/^[a-z]/i.test(name)) name = `s-${name}`;
  let unique = name;
  for (let i = 2; taken.has(unique); i++) unique = `${name}-${i}`;
  return unique;
}
