// SVG -> PNG with resvg (a Rust SVG renderer shipped as prebuilt Node binaries). resvg draws no text without fonts,
// so it loads the host's system fonts and maps the generic "sans-serif" to DejaVu Sans, the family most Linux
// hosts have. Output depends only on the SVG, the fonts and the zoom, so it is reproducible on one host.
import { Resvg } from "@resvg/resvg-js";
import { CHART_FONT } from "./chart-kit.js";

/** Twice the SVG's size: sharp on high-density screens and in slides, still small files. */
export const PNG_ZOOM = 2;

const FALLBACK_FAMILY = CHART_FONT.split(",")[0]!.trim();

export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: PNG_ZOOM },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: FALLBACK_FAMILY, sansSerifFamily: FALLBACK_FAMILY },
  });
  return resvg.render().asPng();
}
