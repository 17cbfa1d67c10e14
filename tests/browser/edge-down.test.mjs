// With the edge stopped, a widget whose code is already cached shows its network error state
// with a retry button, never a blank box. This test runs its own edge so it can stop it.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, phonePage, screenshot, WidgetObject } from "./helpers.mjs";

const EDGE_PORT = 18797;
const HOST_PORT = 18097;
const root = new URL("../../", import.meta.url).pathname;

function startEdge() {
  const state = mkdtempSync(join(tmpdir(), "edge-down-"));
  const child = spawn(
    join(root, "node_modules/.bin/wrangler"),
    ["dev", "--config", "edge/wrangler.toml", "--ip", "127.0.0.1", "--port", String(EDGE_PORT), "--persist-to", state, "--show-interactive-dev-session=false"],
    { cwd: root, detached: true, stdio: "ignore", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } },
  );
  return child;
}

async function waitFor(url) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer`);
}

function stop(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {}
}

let edge, host, browser;
after(async () => {
  await browser?.close();
  if (edge) stop(edge);
  host?.close();
});

test("with the edge stopped the widget shows its network error state and a retry button", async () => {
  edge = startEdge();
  host = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(`<!doctype html><html lang="en"><meta name="viewport" content="width=device-width">
      <div data-alliance-shop="da-an-auto"></div>
      <script src="http://127.0.0.1:${EDGE_PORT}/embed.js" async></script>`);
  }).listen(HOST_PORT, "127.0.0.1");
  await waitFor(`http://127.0.0.1:${EDGE_PORT}/health`);
  browser = await launch();
  const page = await phonePage(browser);
  // First visit with the edge up: the browser caches embed.js and the widget's code.
  await page.goto(`http://127.0.0.1:${HOST_PORT}/`);
  await new WidgetObject(page).settled();

  stop(edge);
  await new Promise((r) => setTimeout(r, 500));
  await page.goto(`http://127.0.0.1:${HOST_PORT}/`);
  const widget = new WidgetObject(page);
  await widget.settled();

  assert.equal(await widget.alert().getAttribute("data-state"), "network");
  assert.match(await widget.alert().textContent(), /Couldn't reach the alliance service/);
  assert.ok(await widget.retryButton("Try again").isVisible());
  await screenshot(page, "edge-down-360");
});
