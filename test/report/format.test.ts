// Proves the small text helpers: locale-free number formatting, HTML escaping, CSV quoting, and SVG id scoping.
import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "../../src/report/csv.js";
import { formatCount, formatMs, formatPercent, formatValue } from "../../src/report/format.js";
import { escapeHtml } from "../../src/report/html-escape.js";
import { scopeSvgIds } from "../../src/report/render-svg.js";
import { parseCsv } from "./csv-parse.js";

describe("formatting", () => {
  it("groups thousands without the host locale", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(-1234)).toBe("-1,234");
  });

  it("shows latency with about three significant digits", () => {
    expect(formatMs(0.4213)).toBe("0.42");
    expect(formatMs(4.2)).toBe("4.20");
    expect(formatMs(42.04)).toBe("42.0");
    expect(formatMs(4200.4)).toBe("4,200");
  });

  it("keeps small loss fractions visible", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.0123)).toBe("1.23%");
    expect(formatPercent(0.000004)).toBe("<0.001%");
    expect(formatPercent(0.0004)).toBe("0.040%");
  });

  it("formats any measured value compactly", () => {
    expect(formatValue(0.0123456)).toBe("0.01235");
    expect(formatValue(38.25)).toBe("38.25");
    expect(formatValue(12345.6)).toBe("12,346");
    expect(formatValue(Number.NaN)).toBe("NaN");
  });
});

describe("escapeHtml", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe("&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;");
  });
});

describe("csv", () => {
  it("quotes only fields that need it and reads back exactly", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField(undefined)).toBe("");
    const values = ["a,b", 'q"uote', "line\nbreak", "x"];
    const text = toCsv([{ name: "v", value: (row: string) => row }], values);
    expect(parseCsv(text)).toEqual([["v"], ...values.map((value) => [value])]);
  });
});

describe("scopeSvgIds", () => {
  it("renames ids and their references in order of appearance", () => {
    const svg = '<svg><clipPath id="clip7"><rect/></clipPath><g clip-path="url(#clip7)"/><use href="#clip7"/><linearGradient id="gradient_3"/><path fill="url(#gradient_3)"/></svg>';
    expect(scopeSvgIds(svg, "cdf")).toBe(
      '<svg><clipPath id="cdf-1"><rect/></clipPath><g clip-path="url(#cdf-1)"/><use href="#cdf-1"/><linearGradient id="cdf-2"/><path fill="url(#cdf-2)"/></svg>',
    );
  });
});
