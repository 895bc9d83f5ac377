// The playground's URL hash: `scenario=black-hole&seed=42` for a library scenario as it is, or
// `name=my&yaml=<base64url of the text>&seed=42` for an edited one, so a link reproduces an exact run. The page
// reads it; notebooks write it, so each lesson links to its scenario in the playground.

/** Where `lbsim playground` listens unless told otherwise. */
export const DEFAULT_PLAYGROUND_PORT = 7357;

export const playgroundUrl = (state: ShareState, port = DEFAULT_PLAYGROUND_PORT): string => `http://127.0.0.1:${port}/#${encodeShare(state)}`;

export interface ShareState {
  scenario?: string;
  name?: string;
  text?: string;
  seed?: string;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(encoded: string): string {
  const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeShare(state: ShareState): string {
  const params = new URLSearchParams();
  if (state.text !== undefined) {
    params.set("name", state.name ?? "custom");
    params.set("yaml", toBase64Url(state.text));
  } else if (state.scenario !== undefined) params.set("scenario", state.scenario);
  if (state.seed !== undefined && state.seed !== "") params.set("seed", state.seed);
  return params.toString();
}

export function decodeShare(hash: string): ShareState {
  const params = new URLSearchParams(hash);
  const out: ShareState = {};
  const yaml = params.get("yaml");
  if (yaml !== null) {
    try {
      out.text = fromBase64Url(yaml);
      out.name = params.get("name") ?? "custom";
    } catch {
      // A damaged link falls back to the default scenario.
    }
  }
  const scenario = params.get("scenario");
  if (scenario !== null) out.scenario = scenario;
  const seed = params.get("seed");
  if (seed !== null) out.seed = seed;
  return out;
}
