// Profile (not a test): where a fresh isolate's first request spends its time, sampled by V8's
// profiler through workerd's inspector; self time per function, top 20. The demo alliance is
// imported first, the runtime restarted, then FIRST (default: the first view) is profiled.
//   node tests/browser/bench/worker-profile.mjs [build-dir]
import { Miniflare } from "miniflare";
import WebSocket from "ws";
import { rmSync } from "node:fs";
import { root, workerOptions, importDemo } from "./worker.mjs";

const dir = process.argv[2] ?? "edge/build";
const path = process.env.FIRST ?? "/v1/shops/da-an-auto/first-view?locale=zh-TW&view=all";
const state = `${root}target/profile-state`;
const options = (extra) => workerOptions(dir, { kvPersist: `${state}/kv`, durableObjectsPersist: `${state}/do`, ...extra });
rmSync(state, { recursive: true, force: true });
const seed = new Miniflare(options());
await importDemo(seed);
await seed.dispose();

const mf = new Miniflare(options({ inspectorPort: 9333 }));
await mf.ready;
const [target] = await (await fetch("http://127.0.0.1:9333/json")).json();
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => ws.on("open", r));
let id = 0;
const waiting = new Map();
ws.on("message", (m) => {
  const d = JSON.parse(m);
  waiting.get(d.id)?.(d);
  waiting.delete(d.id);
});
const send = (method, params = {}) => new Promise((r) => { waiting.set(++id, r); ws.send(JSON.stringify({ id, method, params })); });
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 100 });
await send("Profiler.start");
const t = performance.now();
const r = await mf.dispatchFetch(`http://bench.local${path}`);
await r.text();
const ms = performance.now() - t;
const { profile } = (await send("Profiler.stop")).result;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((s, i) => {
  const name = byId.get(s).callFrame.functionName || "(anonymous)";
  self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
});
console.log(`${path}: ${r.status} in ${ms.toFixed(1)} ms (profiled); self time, ms:`);
for (const [name, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(v.toFixed(2).padStart(7), name.slice(0, 140));
ws.close();
await mf.dispose();
