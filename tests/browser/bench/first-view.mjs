// Benchmark (not a test): time from the embed.js request starting to the badge and rating being
// visible, in Chromium with 150 ms round trips, 1.6 Mbit/s down and a 4x CPU slowdown; cold
// (fresh browser context) and warm (same context, second visit). Also the layout shift the
// widget causes, on the demo shop page and on the same page reserving the widget's height in its
// CSS, the main-thread blocking, the time from the first tap on "book" to its first step, and
// what a visitor who only looks downloads in 30 s on a slow connection (3G: 300 ms, 400 kbit/s),
// each file's brotli size as a CDN would serve it. Prints medians of RUNS runs. Run against
// `cargo xtask dev`:
//   node tests/browser/bench/first-view.mjs
import { brotliCompressSync, constants } from "node:zlib";
import { launch, HOST_URL } from "../helpers.mjs";
import { visit as visitAt, edgeFirst, throttle, hostAlone, tbt } from "./page-record.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const host = process.env.BENCH_HOST ?? HOST_URL.replace("18080", "8080");
const url = `${host}/shop/da-an-auto`;
// The same page, with the widget's height reserved in the page's own CSS (README).
const reservedUrl = `${host}/reserved.html?shop=da-an-auto`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const visit = (page, at = url) => visitAt(page, at);

/** What a visitor who only looks downloads from the edge in 30 s on a slow (3G) connection:
 * each file, with its brotli size. */
async function onlyLooks(browser) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await throttle(page, { latency: 300, down: 400 * 1024 });
  const edge = new URL(process.env.EDGE_URL ?? "http://127.0.0.1:8787").origin;
  const asked = [];
  page.on("requestfinished", (r) => new URL(r.url()).origin === edge && asked.push(r));
  await page.goto(url);
  await page.waitForTimeout(30000);
  const connection = await page.evaluate(() => navigator.connection?.effectiveType);
  const files = [];
  for (const r of asked) {
    const body = await (await r.response())?.body().catch(() => null);
    if (!body) continue;
    files.push({ path: new URL(r.url()).pathname.replace(/\/w\/[^/]+\//, "/w/BUILD/"), raw: body.length, brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length });
  }
  await context.close();
  return { effective_type: connection, files, brotli_total: files.reduce((a, f) => a + f.brotli, 0) };
}

/** Taps "Book a visit" with the mouse and returns the ms from its pointerdown to the booking
 * flow's first step on screen (hydration first, when the module was not there yet). */
async function tapBook(page) {
  await page.evaluate(() => {
    const root = document.querySelector("[data-alliance-shop]").shadowRoot;
    root.addEventListener("pointerdown", () => (window.__tap ??= performance.now()), { capture: true });
  });
  await page.locator("[data-alliance-shop] .aw-book").click();
  return page.evaluate(async () => {
    const root = document.querySelector("[data-alliance-shop]").shadowRoot;
    while (!root.querySelector(".aw-booking h3")) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - window.__tap;
  });
}

edgeFirst();
const browser = await launch();
// The same tap on a first visit with Save-Data on: nothing fetched ahead, the module and the
// booking chunk both wait for the tap (the slowest case).
const bookCold = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "connection", { get: () => ({ saveData: true }) }));
  await throttle(page);
  await visit(page);
  bookCold.push(await tapBook(page));
  await context.close();
}
const cold = [], warm = [], cls = [], warmCls = [], blocked = [], bare = [], added = [], reservedCls = [], bookOpen = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await throttle(page);
  const first = await visit(page);
  cold.push(first.ms);
  cls.push(first.cls);
  blocked.push(first.tbt);
  // The booking flow is its own chunk: time from tapping "book" (a real pointer: the module
  // has been fetched while the page was idle, or starts now) to its first step, uncached.
  bookOpen.push(await tapBook(page));
  const again = await context.newPage();
  await throttle(again);
  const second = await visit(again);
  warm.push(second.ms);
  warmCls.push(second.cls);
  await context.close();
  // The same page with the loader blocked, on a first visit too: the host page's own blocking
  // over the same span, to subtract.
  bare.push(tbt(await hostAlone(browser, url, first.until + 500), first.until));
  added.push(first.tbt - bare[bare.length - 1]);
  const fresh = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const reserved = await fresh.newPage();
  await throttle(reserved);
  reservedCls.push((await visit(reserved, reservedUrl)).cls);
  await fresh.close();
}
const looks = await onlyLooks(browser);
await browser.close();
console.log(JSON.stringify({ url, runs: RUNS, only_looks_30s_slow: looks, cold_ms: Math.round(median(cold)), warm_ms: Math.round(median(warm)), cls: median(cls), warm_cls: median(warmCls), reserved_cls: median(reservedCls), blocking_ms: Math.round(median(blocked)), book_open_ms: Math.round(median(bookOpen)), book_open_nothing_fetched_ms: Math.round(median(bookCold)), host_alone_blocking_ms: Math.round(median(bare)), added_blocking_ms: Math.round(median(added)), cold, warm, tbt: blocked, bare, added }, null, 1));
