// Builds the playground into dist/playground/: the page, its script and the simulation's Web Worker, bundled by
// esbuild (chosen over Vite because this is a library build of two entry points with no dev server or framework:
// esbuild does it in one call, in well under a second, with no config file), and the scenario library as JSON.
// The result is static files that work from any static host, or from `lbsim playground`.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src", "playground", "browser");
const out = join(root, "dist", "playground");
mkdirSync(out, { recursive: true });

// Node's modules have no place in a page. The few the bundle reaches (reading scenario files from disk, log replay,
// sweeps) are never called there; each becomes a stub that says so if it ever is.
const PATH_SHIM = `
export const sep = "/";
export const dirname = (p) => p.includes("/") ? p.replace(/\\/[^/]*$/, "") || "/" : ".";
export const basename = (p, ext) => { const b = p.replace(/^.*\\//, ""); return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b; };
export const extname = (p) => { const m = /\\.[^./]*$/.exec(basename(p)); return m ? m[0] : ""; };
export const isAbsolute = (p) => p.startsWith("/");
export const join = (...parts) => parts.filter((x) => x !== "").join("/").replace(/\\/+/g, "/");
export const resolve = (...parts) => join(...parts);
export const relative = (_from, to) => to;
export default { sep, dirname, basename, extname, isAbsolute, join, resolve, relative };`;

const nodeStubs = {
  name: "node-stubs",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "node-stub" }));
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, async (args) => {
      if (args.path === "node:path") return { contents: PATH_SHIM, loader: "js" };
      // Every export of the real module, each a function that says where it was called.
      const names = Object.keys(await import(args.path)).filter((n) => n !== "default" && /^[A-Za-z_$][\w$]*$/.test(n));
      const stub = `const no = () => { throw new Error("${args.path} is not available in the browser playground"); };\n`
        + names.map((n) => `export const ${n} = no;`).join("\n") + "\nexport default {};";
      return { contents: stub, loader: "js" };
    });
  },
};

await build({
  entryPoints: { main: join(src, "main.ts"), worker: join(src, "worker.ts") },
  outdir: out,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  plugins: [nodeStubs],
  logLevel: "warning",
});
copyFileSync(join(src, "index.html"), join(out, "index.html"));
copyFileSync(join(src, "style.css"), join(out, "style.css"));

const scenarios = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml")).sort().map((file) => {
  const text = readFileSync(join(root, "scenarios", file), "utf8");
  const doc = parse(text);
  return { name: file.replace(/\.yaml$/, ""), title: String(doc?.title ?? doc?.name ?? file), text };
});
writeFileSync(join(out, "scenarios.json"), JSON.stringify(scenarios));
console.log(`playground: ${out} (${scenarios.length} scenarios)`);
