// Where the main thread's long tasks go on a cold first view (150 ms RTT, 1.6 Mbit/s, 4x CPU):
// one Chromium trace per run, each long task (> 50 ms) broken down by the trace events inside
// it (WARM=1: on a second visit). Against `cargo xtask dev`:
//   node tests/browser/bench/trace-first-view.mjs
import { launch, HOST_URL } from "../helpers.mjs";
import { throttle } from "./page-record.mjs";

const RUNS = Number(process.env.RUNS ?? 3);
const host = process.env.BENCH_HOST ?? HOST_URL.replace("18080", "8080");
const url = process.env.PAGE ? `${host}${process.env.PAGE}` : `${host}/shop/${process.env.SHOP ?? "da-an-auto"}`;
const browser = await launch();
// BARE=1: the same page with the loader blocked (the host page's own tasks).
const bare = process.env.BARE === "1";
for (let run = 0; run < RUNS; run++) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  // WARM=1: trace a second visit in the same context (the first one untraced).
  if (process.env.WARM === "1") {
    const first = await context.newPage();
    await throttle(first);
    await first.goto(url);
    await first.waitForTimeout(3000);
    await first.close();
  }
  const page = await context.newPage();
  if (bare) await page.route("**/embed.js", (r) => r.abort());
  // CSS_FROM/CSS_TO: try a change to the stylesheet without a build (a plain text replacement).
  if (process.env.CSS_FROM)
    await page.route("**/widget.css", async (r) => {
      const res = await r.fetch();
      await r.fulfill({ response: res, body: (await res.text()).replaceAll(process.env.CSS_FROM, process.env.CSS_TO ?? "") });
    });
  const cdp = await throttle(page);
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,v8.execute", transferMode: "ReportEvents" });
  await page.goto(url, { waitUntil: "commit" });
  // Nothing of the harness runs in the page meanwhile (no waitForFunction: it injects a script).
  await page.waitForTimeout(Number(process.env.WAIT ?? 3000));
  await cdp.send("Tracing.end");
  await done;
  // The renderer's main thread: where the page's RunTask events are.
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === "X");
  const t0 = Math.min(...onMain.filter((e) => e.name === "RunTask").map((e) => e.ts));
  const long = onMain.filter((e) => e.name === "RunTask" && e.dur > 50000);
  console.log(`run ${run}: ${long.length} long tasks`);
  // TIMELINE=1: also the loader's path, in order: its script, the first view's and the
  // stylesheet's requests, and every main-thread task over 10 ms from the script on.
  if (process.env.TIMELINE === "1") {
    const ms = (e) => ((e.ts - t0) / 1000).toFixed(0);
    const script = onMain.find((e) => /EvaluateScript|v8.run/.test(e.name) && /embed\.js/.test(e.args?.data?.url ?? e.args?.fileName ?? ""));
    const net = events.filter((e) => /^Resource(SendRequest|ReceiveResponse|Finish)$/.test(e.name));
    const urlOf = new Map(net.filter((e) => e.args?.data?.url).map((e) => [e.args.data.requestId, e.args.data.url]));
    for (const e of net) {
      const u = urlOf.get(e.args?.data?.requestId) ?? "";
      const d = e.args?.data ?? {};
      const how = e.name === "ResourceReceiveResponse" ? ` ${d.statusCode}${d.fromCache ? " from cache" : ""}` : "";
      if (/first-view|widget\.css|embed\.js|\.wasm|widget\.js/.test(u)) console.log(`  ${ms(e)} ms ${e.name} ${u.replace(/^.*\//, "").slice(0, 40)}${how}`);
    }
    for (const task of onMain.filter((e) => e.name === "RunTask" && e.dur > 10000 && script && e.ts + e.dur >= script.ts)) {
      const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur > 3000);
      const names = [...new Set(inside.map((e) => e.name + (e.args?.data?.url ? ` ${e.args.data.url.replace(/^.*\//, "").slice(0, 20)}` : "")))].slice(0, 6).join(", ");
      console.log(`  ${ms(task)} ms task ${(task.dur / 1000).toFixed(0)} ms: ${names}`);
    }
  }
  for (const task of long) {
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
    const by = {};
    // Only the outermost events of each name (nested same-name events would count twice).
    for (const e of inside) {
      const outer = inside.some((o) => o !== e && o.name === e.name && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && o.dur > e.dur);
      if (!outer) by[e.name] = (by[e.name] ?? 0) + e.dur / 1000;
    }
    const top = Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ");
    const urls = [...new Set(inside.map((e) => e.args?.data?.url).filter(Boolean))].map((u) => u.replace(/^.*\//, "")).slice(0, 4);
    console.log(`  at ${((task.ts - t0) / 1000).toFixed(0)} ms, ${(task.dur / 1000).toFixed(0)} ms: ${top} ${urls.join(" ")}`);
  }
  await context.close();
}
await browser.close();
