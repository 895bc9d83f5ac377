// Inline Markdown for notebook prose: `code`, **strong**, *emphasis* / _emphasis_ and [links](url). Everything
// else is text: the input is escaped before any markup is added, so nothing in a notebook can inject a tag or a
// script. Raw HTML is deliberately not supported (it would show as text). Link targets are limited to http(s),
// mailto, in-page anchors and relative paths: a `javascript:` URL renders as plain text.
import { escapeHtml } from "../report/html-escape.js";

// Private-use characters never typed in prose: they stand in for code spans while the rest is marked up.
const CODE_OPEN = "\uE002";
const CODE_CLOSE = "\uE003";

export function renderInline(text: string): string {
  const codes: string[] = [];
  const withoutCode = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, __: string, code: string) => {
    codes.push(code.trim() === "" ? code : code.replace(/^ (.*) $/s, "$1"));
    return `${CODE_OPEN}${codes.length - 1}${CODE_CLOSE}`;
  });
  let html = escapeHtml(withoutCode);
  html = html.replace(/\[([^\]]+)\]\(([^()\s]+)\)/g, (whole, label: string, href: string) => {
    const raw = unescapeHtml(href);
    return isSafeHref(raw) ? `<a href="${escapeHtml(raw)}">${label}</a>` : whole;
  });
  html = html.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<strong>$1</strong>");
  html = html.replace(/(^|[^*\w])\*(?=\S)([\s\S]*?\S)\*(?![*\w])/g, "$1<em>$2</em>");
  html = html.replace(/(^|[^\w])_(?=\S)([\s\S]*?\S)_(?!\w)/g, "$1<em>$2</em>");
  return html.replace(new RegExp(`${CODE_OPEN}(\\d+)${CODE_CLOSE}`, "g"), (_, index: string) => `<code>${escapeHtml(codes[Number(index)]!)}</code>`);
}

/** http(s), mailto, `#anchor`, or a relative path (no scheme before the first `/`, `?` or `#`). */
export function isSafeHref(href: string): boolean {
  if (/^(https?:\/\/|mailto:|#)/i.test(href)) return true;
  return !/^[^/?#]*:/.test(href);
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[name] ?? "");
}
