// `importConfig(text, file)`: a proxy configuration to a scenario. The format comes from the file name
// (haproxy.cfg, nginx.conf, *.yaml/*.json for Envoy) or, failing that, from the text itself.
import { basename, extname } from "node:path";
import { importEnvoy } from "./envoy-import.js";
import { importHaproxy } from "./haproxy-import.js";
import { configError, type ImportDraft } from "./import-draft.js";
import { importNginx } from "./nginx-import.js";
import { scenarioText } from "./scenario-text.js";
import type { NotCarried, ProxyTarget } from "./types.js";

export interface ImportOptions {
  /** The proxy the file is for; default: detected. */
  from?: ProxyTarget;
  /** HAProxy backend / NGINX upstream / Envoy cluster to import when the file has several. */
  select?: string;
}

export interface ImportResult {
  proxy: ProxyTarget;
  /** The scenario file's text. */
  text: string;
  notModelled: NotCarried[];
  ignored: NotCarried[];
  draft: ImportDraft;
}

export function detectProxy(text: string, file: string): ProxyTarget {
  const name = basename(file).toLowerCase();
  const ext = extname(name);
  if (name.includes("haproxy") || ext === ".cfg") return "haproxy";
  if (name.includes("nginx") || ext === ".conf") return "nginx";
  if (ext === ".yaml" || ext === ".yml" || ext === ".json") return "envoy";
  if (/^\s*(upstream|http|server|events)\s*\{?/m.test(text) && text.includes(";")) return "nginx";
  if (/^\s*(backend|frontend|listen|defaults|global)\b/m.test(text)) return "haproxy";
  throw configError(file, 0, "cannot tell which proxy this file is for", "haproxy.cfg, nginx.conf, or an Envoy cluster in YAML/JSON (or --from)");
}

export function importConfig(text: string, file: string, options: ImportOptions = {}): ImportResult {
  const proxy = options.from ?? detectProxy(text, file);
  const select = options.select;
  let draft: ImportDraft;
  switch (proxy) {
    case "haproxy":
      draft = importHaproxy(text, file, select === undefined ? {} : { backend: select });
      break;
    case "nginx":
      draft = importNginx(text, file, select === undefined ? {} : { upstream: select });
      break;
    case "envoy":
      draft = importEnvoy(text, file, select === undefined ? {} : { cluster: select });
      break;
  }
  return { proxy, text: scenarioText(draft), notModelled: draft.notModelled, ignored: draft.ignored, draft };
}
