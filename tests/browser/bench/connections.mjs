// Probe (not a test): which connection each request of a cold visit to the demo shop page used
// (Chromium's connection id), throttled as the first-view benchmark. Requests a page makes
// without credentials (module imports, a plain cross-origin fetch) cannot share a connection
// with those it makes with them (the classic script, images); the loader reads the first view
// and the stylesheet with credentials for that reason (DESIGN.md, "The first view's
// connection"). DevTools' throttling adds its latency per request, not per connection, so
// `first-view.mjs` does not see that cost; `first-view-wire.mjs` does.
//   node tests/browser/bench/connections.mjs
import { launch, HOST_URL } from "../helpers.mjs";
import { throttle } from "./page-record.mjs";

const host = process.env.BENCH_HOST ?? HOST_URL.replace("18080", "8080");
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
const page = await context.newPage();
const cdp = await throttle(page);
const rows = [];
let t0;
cdp.on("Network.responseReceived", ({ response: r }) => {
  if (!r.url.startsWith("http")) return;
  t0 ??= r.timing.requestTime;
  const u = new URL(r.url);
  rows.push({ origin: u.origin, path: u.pathname.replace(/\/w\/[^/]+\//, "/w/BUILD/"), connection: r.connectionId, reused: r.connectionReused, sent_at_ms: Math.round((r.timing.requestTime - t0) * 1000) });
});
await page.goto(`${host}/shop/da-an-auto`);
await page.waitForTimeout(6000);
console.table(rows);
await browser.close();
