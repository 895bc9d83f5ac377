// Timeline targets: backend names (`app-3`), group names (`app`: every backend of the group at that moment),
// ranges (`app-1..app-3` or `app-1..3`), and `count: N` to keep the first N. Unknown names are errors that
// suggest the closest existing name.
export interface KnownBackends {
  names: string[];
  groups: Map<string, string[]>;
}

export type TargetResult = { names: string[] } | { index: number; selector: string; problem: string; candidates: string[] };

const RANGE = /^(.+)-(\d+)\.\.(?:(.+)-)?(\d+)$/;

export function resolveTargets(selectors: readonly string[] | null, count: number | null, known: KnownBackends): TargetResult {
  const names: string[] = [];
  const candidates = [...known.groups.keys(), ...known.names];
  const list = selectors ?? known.names;
  for (let index = 0; index < list.length; index++) {
    const selector = list[index]!;
    const found = resolveOne(selector, known);
    if (typeof found === "string") return { index, selector, problem: found, candidates };
    for (const name of found) if (!names.includes(name)) names.push(name);
  }
  return { names: count === null ? names : names.slice(0, count) };
}

function resolveOne(selector: string, known: KnownBackends): string[] | string {
  if (known.names.includes(selector)) return [selector];
  const group = known.groups.get(selector);
  if (group !== undefined) return group;
  const range = RANGE.exec(selector);
  if (range !== null && (range[3] === undefined || range[3] === range[1])) {
    const from = Number(range[2]);
    const to = Number(range[4]);
    if (to < from) return `a range from low to high, got ${selector}`;
    const names: string[] = [];
    for (let k = from; k <= to; k++) {
      const name = `${range[1]}-${k}`;
      if (!known.names.includes(name)) return `a backend name, group or range of existing backends, but ${name} (in ${selector}) does not exist`;
      names.push(name);
    }
    return names;
  }
  return `a backend name, group name or range such as app-1..app-3, got "${selector}"`;
}
