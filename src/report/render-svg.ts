// Vega-Lite spec -> SVG text, in Node, with no browser and no canvas: vega's headless View with renderer "none"
// lays the chart out (estimating text widths) and serialises the scenegraph. vega escapes text content and
// attribute values itself; the report tests check that with hostile names.
import { logger, parse, View, Warn, type LoggerInterface } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * A logger that collects warnings instead of printing them: a report written by the CLI should not scatter vega's
 * messages over the terminal, and the tests hold every chart to zero warnings by reading them from here.
 */
export function collectingLogger(warnings: string[]): LoggerInterface {
  return logger(Warn, undefined, (_method, level, args) => {
    warnings.push(`${level} ${args.map(String).join(" ")}`);
  });
}

export async function renderSvg(spec: TopLevelSpec, warnings: string[] = []): Promise<string> {
  const log = collectingLogger(warnings);
  const { spec: vegaSpec } = compile(spec, { logger: log });
  const view = new View(parse(vegaSpec), { renderer: "none", logger: log });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renames every id in an SVG (and the url(#…)/href="#…" references to it) to `<prefix>-<n>` in order of first
 * appearance. Two reasons: vega numbers clip paths from a process-wide counter, so the same chart would render
 * "clip3" now and "clip17" later (not byte-identical); and several SVGs inlined in one HTML page share one id
 * namespace, so a second chart's "clip1" would clip by the first chart's rectangle.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const match of svg.matchAll(/\bid="([^"]+)"/g)) {
    const id = match[1]!;
    if (!renamed.has(id)) renamed.set(id, `${prefix}-${renamed.size + 1}`);
  }
  if (renamed.size === 0) return svg;
  const rename = (id: string): string => renamed.get(id) ?? id;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${rename(id)}"`);
}
