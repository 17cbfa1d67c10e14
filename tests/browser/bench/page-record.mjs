// What a benchmark's page records about itself (long tasks, layout shifts, the moment the
// widget's badge and rating are on screen), and a visit that reads it; shared by
// `first-view.mjs`, `first-view-floor.mjs` and `first-view-wire.mjs`; `edgeFirst`, which they
// call; and `throttle`, the phone every benchmark here measures on.

import os from "node:os";
import { execFileSync } from "node:child_process";

/** Throttles `page` as the benchmarks' phone: 150 ms round trips, 1.6 Mbit/s down, 750 kbit/s
 * up (DevTools' emulation: its latency is added per request), and a 4x slower CPU. Returns the
 * page's DevTools session (network events enabled). */
export async function throttle(page, { latency = 150, down = 1.6 * 1024 * 1024 } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency, downloadThroughput: down / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  return cdp;
}

/** Puts this process (the benchmark's relays, when it has them) and the local edge (workerd)
 * ahead of the browser on this machine's two cores: otherwise the browser's own work at the
 * moment a request arrives counts as the server's time (seen: 190-670 ms for the same 304 on a
 * kept connection), which a remote edge does not share. Needs root; without it, says so.
 * `EDGE_FIRST=0` leaves the priorities as they are (for comparing). */
export function edgeFirst() {
  if (process.env.EDGE_FIRST === "0") return;
  try {
    os.setPriority(-15);
    const pids = execFileSync("pgrep", ["-f", "workerd serve"], { encoding: "utf8" }).split(/\s+/).filter(Boolean);
    for (const pid of pids) os.setPriority(Number(pid), -15);
  } catch (e) {
    console.error(`edge not put first (${e.message}): server times include the browser's`);
  }
}

// What the page records about itself, from its first script on: every long task, every layout
// shift, and when the widget's badge and rating are first on screen (checked each frame by the
// page itself, so the harness runs nothing in the page while it is measured: Playwright's
// waitForFunction would inject and evaluate its own script there, a long task of 40-100 ms at
// 4x CPU that earlier sessions counted as the widget's).
export const RECORDER = () => {
  window.__long = [];
  window.__cls = 0;
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push([e.startTime, e.duration]))).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((l) => l.getEntries().forEach((e) => !e.hadRecentInput && (window.__cls += e.value))).observe({ type: "layout-shift", buffered: true });
  const check = () => {
    const r = document.querySelector("[data-alliance-shop]")?.shadowRoot;
    if (r && r.querySelector(".aw-badge") && r.querySelector(".aw-rating")) window.__visibleAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
};

/** Total Blocking Time of `long` (the recorder's [start, duration] pairs) over the tasks that
 * started before `until` (ms since navigation). */
export const tbt = (long, until) => long.filter(([t]) => t < until).reduce((a, [, d]) => a + Math.max(0, d - 50), 0);

// The same, of the page as it has recorded itself so far.
export const blocking = async (page, until) => tbt(await page.evaluate(() => window.__long), until);

/** The host page at `at` alone (its `embed.js` blocked), a first visit in a fresh context on the
 * benchmarks' phone, watched for `ms`: its long tasks, for `tbt`. The context is closed. */
export async function hostAlone(browser, at, ms) {
  const alone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await alone.newPage();
  await throttle(page);
  await page.route("**/embed.js", (r) => r.abort());
  await page.addInitScript(RECORDER);
  await page.goto(at, { waitUntil: "commit" });
  await page.waitForTimeout(ms);
  const long = await page.evaluate(() => window.__long);
  await alone.close();
  return long;
}

/** Loads `at` in `page` and returns the ms from the loader's request (`/embed*.js`) starting to
 * the badge and rating on screen, the layout shift, and the blocking until a second after. */
export async function visit(page, at) {
  await page.addInitScript(RECORDER);
  await page.goto(at, { waitUntil: "commit" });
  // Read from outside at long intervals only (each read is a small task in the page).
  let visibleAt;
  for (let waited = 0; !visibleAt && waited < 60000; waited += 1000) {
    await page.waitForTimeout(1000);
    visibleAt = await page.evaluate(() => window.__visibleAt);
  }
  if (!visibleAt) throw new Error("the widget did not appear");
  // Blocking from the page's start until a second after the widget is visible, minus the same
  // page without the widget over the same span (measured separately).
  await page.waitForTimeout(Math.max(0, visibleAt + 1000 - (await page.evaluate(() => performance.now()))));
  const tbt = await blocking(page, visibleAt + 1000);
  return page.evaluate(([visibleAt, tbt]) => {
    const e = performance.getEntriesByType("resource").find((r) => /\/embed[^/]*\.js$/.test(r.name));
    return { ms: visibleAt - e.startTime, cls: window.__cls, tbt, until: visibleAt + 1000 };
  }, [visibleAt, tbt]);
}
