// Reading nginx.conf into a tree of directives as NGINX's own parser does (ngx_conf_file.c, ngx_conf_read_token):
// words separated by blanks, `;` ends a directive, `{ ... }` is its block, `#` starts a comment, quotes group with
// backslash escapes. An unbalanced brace or a directive without its `;` is a parse error with its line.
import { configError } from "./import-draft.js";

export interface NginxDirective {
  name: string;
  args: string[];
  line: number;
  /** The directive's block, for `http { ... }`, `upstream x { ... }`, `location / { ... }`. */
  block: NginxDirective[] | null;
}

interface Token {
  text: string;
  line: number;
  /** `;`, `{` and `}` when unquoted. */
  punct: boolean;
}

export function parseNginx(text: string, file: string): NginxDirective[] {
  const tokens = tokenize(text, file);
  let i = 0;
  const parseBlock = (closing: boolean, openLine: number): NginxDirective[] => {
    const out: NginxDirective[] = [];
    let words: Token[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (!t.punct) {
        words.push(t);
        continue;
      }
      if (t.text === ";") {
        if (words.length === 0) throw configError(file, t.line, "unexpected `;`", "a directive before `;`");
        out.push({ name: words[0]!.text, args: words.slice(1).map((w) => w.text), line: words[0]!.line, block: null });
        words = [];
      } else if (t.text === "{") {
        if (words.length === 0) throw configError(file, t.line, "unexpected `{`", "a directive name before `{`");
        const head = words;
        words = [];
        out.push({ name: head[0]!.text, args: head.slice(1).map((w) => w.text), line: head[0]!.line, block: parseBlock(true, head[0]!.line) });
      } else {
        if (!closing) throw configError(file, t.line, "unexpected `}`", "a `}` only to close a block");
        if (words.length > 0) throw configError(file, words[0]!.line, `\`${words[0]!.text}\` is missing its \`;\``, "`;` at the end of each directive");
        return out;
      }
    }
    if (words.length > 0) throw configError(file, words[0]!.line, `\`${words[0]!.text}\` is missing its \`;\``, "`;` at the end of each directive");
    if (closing) throw configError(file, openLine, "this block is never closed", "a matching `}`");
    return out;
  };
  return parseBlock(false, 0);
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") i++;
    else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === ";" || c === "{" || c === "}") {
      tokens.push({ text: c, line, punct: true });
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let word = "";
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        if (text[i] === "\n") line++;
        word += text[i++];
      }
      if (i >= text.length) throw configError(file, start, "unterminated quote", "a closing quote");
      i++;
      tokens.push({ text: word, line: start, punct: false });
    } else {
      let word = "";
      while (i < text.length && !/[\s;{}"'#]/.test(text[i]!)) {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        word += text[i++];
      }
      // `${var}` keeps its braces: they belong to the word, not to a block.
      while (text[i] === "{" && word.endsWith("$")) {
        const close = text.indexOf("}", i);
        word += text.slice(i, close + 1);
        i = close + 1;
        while (i < text.length && !/[\s;{}"'#]/.test(text[i]!)) word += text[i++];
      }
      tokens.push({ text: word, line, punct: false });
    }
  }
  return tokens;
}
