// Proves the playground works in a real browser (Debian's Chromium driven by playwright-core; no browser is
// downloaded): the page loads, runs the black hole in its Web Worker and shows the same JSON as `lbsim run --json`,
// marks a YAML error on its line, reruns with another algorithm, and scrubs the animation. Screenshots go to
// reports/playground/ for a person to look at. Where no Chromium is installed it skips with one line.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "reports", "playground");
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) console.log(`SKIP browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

let server;
let browser;
let page;
let base;

before(async () => {
  if (!hasBrowser) return;
  mkdirSync(SHOTS, { recursive: true });
  server = spawn(process.execPath, [CLI, "playground", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  base = await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error("the playground server did not start in 20 s")), 20_000);
    server.stdout.on("data", (chunk) => {
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(chunk));
      if (match) { clearTimeout(timer); done(match[0]); }
    });
    server.on("exit", (code) => fail(new Error(`the playground server exited with ${code}`)));
  });
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
});

after(async () => {
  await browser?.close();
  if (server !== undefined && server.exitCode === null) server.kill("SIGTERM");
});

const options = { skip: !hasBrowser, timeout: 180_000 };

async function runAndWait() {
  await page.click("#run");
  await page.waitForFunction(() => {
    const s = document.getElementById("status");
    return s.textContent.startsWith("done") || s.className === "error";
  }, null, { timeout: 150_000 });
  return page.textContent("#status");
}

test("runs the black hole in the page and shows the CLI's JSON, byte for byte", options, async () => {
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${base}#scenario=black-hole`);
  await page.waitForSelector(".cm-content");
  assert.match(await runAndWait(), /^done: 3 variant\(s\), seed 42; 6 of 6 expectations hold/);
  const json = await page.evaluate(() => window.lbsimPlayground.state.json);
  const cli = execFileSync(process.execPath, [CLI, "run", "scenarios/black-hole.yaml", "--json"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(json, cli);
  // The summary table and charts are on the page.
  assert.match(await page.textContent("#summary"), /36,417/);
  await page.waitForSelector("#charts svg");
  await page.screenshot({ path: join(SHOTS, "black-hole.png") });
  assert.deepEqual(errors, []);
});

test("scrubs the animation: the hung backend that the balancer still believes healthy", options, async () => {
  await page.selectOption("#anim-variant", "tcp");
  await page.evaluate(() => {
    const slider = document.getElementById("time");
    slider.value = String(Math.round(Number(slider.max) * 0.5));
    slider.dispatchEvent(new Event("input"));
  });
  assert.match(await page.textContent("#clock"), /^t = 90\.00 s/);
  const pixels = await page.evaluate(() => {
    const canvas = document.getElementById("world");
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let red = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 180 && data[i + 1] < 90 && data[i + 2] < 90) red++;
    return red;
  });
  // The hang (red truth box of app-1) and the red dots stuck at it are drawn.
  assert.ok(pixels > 200, `expected the hung backend in red, found ${pixels} red pixels`);
  await page.locator("#world").screenshot({ path: join(SHOTS, "animation.png") });
});

test("marks a YAML error on its line, as the CLI words it", options, async () => {
  await page.evaluate(() => {
    const editor = window.lbsimPlayground.editor;
    editor.setText(editor.text().replace("workers: 32", "workers: -1"));
  });
  await page.waitForSelector(".cm-lint-marker-error", { timeout: 10_000 });
  const line = await page.evaluate(() => {
    const text = window.lbsimPlayground.editor.text();
    return text.split("\n").findIndex((l) => l.includes("workers: -1")) + 1;
  });
  // The marker sits in the gutter row of that line.
  const markedLines = await page.evaluate(() => {
    const view = window.lbsimPlayground.editor.view;
    return [...document.querySelectorAll(".cm-lint-marker-error")].map((m) => view.state.doc.lineAt(view.posAtDOM(m.closest(".cm-gutterElement")) ?? 0).number);
  });
  assert.ok(markedLines.length >= 1);
  assert.match(await runAndWait(), /scenarios\/black-hole\.yaml:\d+:\d+: backends\.0\.workers: expected/);
  await page.screenshot({ path: join(SHOTS, "yaml-error.png") });
  assert.ok(line > 0);
});

test("changes the algorithm and runs again", options, async () => {
  await page.evaluate(() => {
    const editor = window.lbsimPlayground.editor;
    editor.setText(editor.text().replace("workers: -1", "workers: 32").replace("algorithm: round-robin", "algorithm: least-connections"));
  });
  assert.match(await runAndWait(), /^done: 3 variant\(s\)/);
  const json = JSON.parse(await page.evaluate(() => window.lbsimPlayground.state.json));
  // With least connections the lesson's expectations fail, so the CLI exits 1: read its output all the same.
  const cli = JSON.parse(spawnSync(process.execPath, [CLI, "run", "scenarios/black-hole.yaml", "--json", "--set", "lb.algorithm=least-connections"], { cwd: ROOT, encoding: "utf8" }).stdout);
  assert.deepEqual(json.variants.map((v) => v.requests), cli.variants.map((v) => v.requests));
  // The link now carries the edited text.
  assert.match(page.url(), /#name=black-hole&yaml=/);
});
