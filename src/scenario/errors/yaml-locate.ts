// Maps a document path (`["lb", "health", "rise"]`) to the line and column of its node in the YAML source,
// with the `yaml` package's document model and a LineCounter. A path that does not exist in the source (a
// required key left out) points at the deepest node that does: the mapping the key belongs in.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

export interface Position {
  line: number;
  column: number;
}

export function locate(doc: Document, lines: LineCounter, path: ReadonlyArray<string | number>, atKey: boolean): Position {
  let node: unknown = doc.contents;
  let keyNode: unknown = null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) break;
      keyNode = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      keyNode = null;
      node = node.items[segment];
    } else {
      break;
    }
  }
  const target = (atKey && keyNode !== null ? keyNode : node) as Node | null;
  const offset = target?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** Position of a byte offset. */
export function positionOf(lines: LineCounter, offset: number): Position {
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
