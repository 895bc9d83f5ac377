// Walks a zod schema along a document path, to learn what the schema allows there: the keys of an object (for
// "did you mean"), whether a path exists at all (for variant `set:` paths), whether a number must be an
// integer (for messages). It reads zod 4's definitions (`_zod.def`), looking through optional, default,
// nullable and transform wrappers and into every branch of a union.
import type { z } from "zod";

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schemas a value may be checked by, with wrappers removed and unions flattened. */
export function concrete(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return concrete(def.innerType!);
    case "pipe":
      return concrete(def.in!);
    case "lazy":
      return concrete(def.getter!());
    case "union":
      return def.options!.flatMap(concrete);
    default:
      return [schema];
  }
}

/**
 * The schemas at `path` below `schema` (numeric segments index lists; any other segment in a list is taken as an
 * element's name). Only a shape's own keys count: `toString` or `constructor` is no field of any object.
 */
export function schemasAt(schema: z.ZodType, path: ReadonlyArray<string | number>): z.ZodType[] {
  let current = concrete(schema);
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const s of current) {
      const def = defOf(s);
      if (def.type === "object" && typeof segment === "string" && Object.hasOwn(def.shape!, segment)) next.push(...concrete(def.shape![segment]!));
      else if (def.type === "array") next.push(...concrete(def.element!));
      else if (def.type === "record") next.push(...concrete(def.valueType!));
    }
    current = next;
    if (current.length === 0) return [];
  }
  return current;
}

/** The keys an object at `path` may have (the union of every object branch there). */
export function keysAt(schema: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const def = defOf(s);
    if (def.type === "object") for (const key of Object.keys(def.shape!)) keys.add(key);
  }
  return [...keys];
}

/** True when a number at `path` must be an integer (`z.number().int()`). */
export function isIntegerAt(schema: z.ZodType, path: ReadonlyArray<string | number>): boolean {
  return schemasAt(schema, path).some((s) => {
    const checks = (defOf(s) as { checks?: Array<{ _zod: { def: { format?: string } } }> }).checks ?? [];
    return checks.some((c) => c._zod.def.format === "safeint" || c._zod.def.format === "int32");
  });
}

/** True when a record (free-form mapping) is allowed at `path`: any key below it is accepted. */
export function isOpenAt(schema: z.ZodType, path: ReadonlyArray<string | number>): boolean {
  return schemasAt(schema, path).some((s) => defOf(s).type === "record");
}
