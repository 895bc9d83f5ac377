// Checking a config with the real proxy's own checker: `haproxy -c -f FILE` and `nginx -t -c FILE`. NGINX's test
// opens its pid and error log, so it gets a private prefix in a temporary folder (`-p`, `-e`, `-g pid`). The
// binaries are looked up on PATH and in the sbin folders Debian installs them to; absent, the result says so.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export type CheckResult = { ok: true; output: string } | { ok: false; output: string } | { absent: true };

/** The path of a proxy binary, or null when it is not installed. */
export function findBinary(name: "haproxy" | "nginx"): string | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const dir of dirs) {
    if (dir !== "" && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Runs the proxy's config check on `text`; bounded to 20 s. */
export function checkWithRealProxy(proxy: "haproxy" | "nginx", text: string): CheckResult {
  const binary = findBinary(proxy);
  if (binary === null) return { absent: true };
  const dir = mkdtempSync(join(tmpdir(), `lbsim-${proxy}-check-`));
  try {
    const file = join(dir, proxy === "haproxy" ? "haproxy.cfg" : "nginx.conf");
    writeFileSync(file, text);
    const args = proxy === "haproxy"
      ? ["-c", "-q", "-f", file]
      : ["-t", "-q", "-p", `${dir}/`, "-e", join(dir, "error.log"), "-c", file, "-g", `pid ${join(dir, "nginx.pid")};`];
    const run = spawnSync(binary, args, { encoding: "utf8", timeout: 20_000 });
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trim();
    return run.status === 0 ? { ok: true, output } : { ok: false, output: output || `exit ${run.status} ${run.signal ?? ""}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
