// Benchmark (not a test): the worker's start-up on local workerd, driven through Miniflare. For
// each build folder given (default: edge/build, what `cargo xtask build` writes) and for an empty
// worker as the harness's own floor, interleaved RUNS times: a fresh runtime, then the time of
// its first request (`/health`: the isolate runs the worker's code for the first time, and
// compiles each wasm function it calls then) and of the second. Prints medians. With
// FIRST=/v1/shops/da-an-auto/first-view the request is that path instead, on local state the
// demo alliance was imported into once per build (the empty worker answers any path).
//   node tests/browser/bench/worker-startup.mjs [build-dir ...]
import { Miniflare } from "miniflare";
import { rmSync } from "node:fs";
import { root, workerOptions, importDemo } from "./worker.mjs";

const RUNS = Number(process.env.RUNS ?? 9);
const path = process.env.FIRST ?? "/health";
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ["edge/build"];
// Local state, one folder per build (seeded below when a path other than /health is asked).
const state = (dir) => `${root}target/startup-state/${encodeURIComponent(dir)}`;
const worker = (dir) => workerOptions(dir, { kvPersist: `${state(dir)}/kv`, durableObjectsPersist: `${state(dir)}/do` });
const empty = { modules: true, script: "export default { fetch() { return new Response('ok') } }", compatibilityDate: "2026-04-01" };
const cases = [["(empty worker)", empty], ...dirs.map((d) => [d, worker(d)])];
rmSync(`${root}target/startup-state`, { recursive: true, force: true });
if (path !== "/health") {
  for (const dir of dirs) {
    const mf = new Miniflare(worker(dir));
    await importDemo(mf);
    await mf.dispose();
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seen = new Map(cases.map(([name]) => [name, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, options] of cases) {
    const mf = new Miniflare(options);
    await mf.ready;
    let t = performance.now();
    const r = await mf.dispatchFetch(`http://bench.local${path}`);
    await r.text();
    if (r.status !== 200) throw new Error(`${name} ${path}: ${r.status}`);
    const first = performance.now() - t;
    t = performance.now();
    await (await mf.dispatchFetch(`http://bench.local${path}`)).text();
    seen.get(name).push([first, performance.now() - t]);
    await mf.dispose();
  }
}
const out = {};
for (const [name, xs] of seen) {
  out[name] = { first_request_ms: +median(xs.map((x) => x[0])).toFixed(1), next_request_ms: +median(xs.map((x) => x[1])).toFixed(1), start_up_ms: +median(xs.map((x) => x[0] - x[1])).toFixed(1) };
}
console.log(JSON.stringify({ runs: RUNS, path, builds: out }, null, 1));
