// Benchmark (not a test): time from the embed.js request starting to the badge and rating being
// visible, in Chromium with 150 ms round trips, 1.6 Mbit/s down and a 4x CPU slowdown; cold
// (fresh browser context) and warm (same context, second visit). Also the layout shift the
// widget causes. Prints medians of RUNS runs. Run against `cargo xtask dev`:
//   node tests/browser/bench/first-view.mjs
import { launch, HOST_URL } from "../helpers.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const url = `${process.env.BENCH_HOST ?? HOST_URL.replace("18080", "8080")}/shop/da-an-auto`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
}

async function visit(page) {
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => !e.hadRecentInput && (window.__cls += e.value))).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(url, { waitUntil: "commit" });
  const done = await page.waitForFunction(() => {
    const r = document.querySelector("[data-alliance-shop]")?.shadowRoot;
    return r && r.querySelector(".aw-badge") && r.querySelector(".aw-rating") ? performance.now() : false;
  }, null, { polling: "raf", timeout: 60000 });
  const visibleAt = await done.jsonValue();
  return page.evaluate((visibleAt) => {
    const e = performance.getEntriesByType("resource").find((r) => r.name.endsWith("/embed.js"));
    return { ms: visibleAt - e.startTime, cls: window.__cls };
  }, visibleAt);
}

const browser = await launch();
const cold = [], warm = [], cls = [], warmCls = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await throttle(page);
  const first = await visit(page);
  cold.push(first.ms);
  cls.push(first.cls);
  const again = await context.newPage();
  await throttle(again);
  const second = await visit(again);
  warm.push(second.ms);
  warmCls.push(second.cls);
  await context.close();
}
await browser.close();
console.log(JSON.stringify({ url, runs: RUNS, cold_ms: Math.round(median(cold)), warm_ms: Math.round(median(warm)), cls: median(cls), warm_cls: median(warmCls), cold, warm }, null, 1));
