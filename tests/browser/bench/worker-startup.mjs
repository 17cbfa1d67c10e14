// Benchmark (not a test): the worker's start-up on local workerd, driven through Miniflare. For
// each build folder given (default: edge/build, what `cargo xtask build` writes) and for an empty
// worker as the harness's own floor, interleaved RUNS times: a fresh runtime, then the time of
// its first request (`/health`: the isolate runs the worker's code for the first time, and
// compiles each wasm function it calls then) and of the second. Prints medians. With
// FIRST=/v1/shops/da-an-auto/first-view the request is that path instead, on local state the
// demo alliance was imported into once per build (the empty worker answers any path).
//   node tests/browser/bench/worker-startup.mjs [build-dir ...]
import { Miniflare } from "miniflare";
import { relative } from "node:path";
import { readFileSync, rmSync } from "node:fs";

const RUNS = Number(process.env.RUNS ?? 9);
const root = new URL("../../../", import.meta.url).pathname;
const path = process.env.FIRST ?? "/health";
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ["edge/build"];
const worker = (dir) => ({
  rootPath: new URL(dir.replace(/\/?$/, "/"), `file://${root}`).pathname,
  scriptPath: "index.js",
  modules: true,
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2026-04-01",
  kvNamespaces: ["DATA"],
  durableObjects: { SHOPS: { className: "ShopDo", useSQLite: true } },
  bindings: { ADMIN_TOKEN, LINK_SECRET: "bench-link-secret-0123456789abcdef0123", ALLOW_LOCAL_ORIGINS: "true" },
  // Local state, one folder per build (seeded below when a path other than /health is asked).
  kvPersist: `${root}target/startup-state/${encodeURIComponent(dir)}/kv`,
  durableObjectsPersist: `${root}target/startup-state/${encodeURIComponent(dir)}/do`,
});
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef0123";
const empty = { modules: true, script: "export default { fetch() { return new Response('ok') } }", compatibilityDate: "2026-04-01" };
const cases = [["(empty worker)", empty], ...dirs.map((d) => [relative(root, new URL(d, `file://${root}`).pathname) || d, worker(d)])];
rmSync(`${root}target/startup-state`, { recursive: true, force: true });
if (path !== "/health") {
  for (const dir of dirs) {
    const mf = new Miniflare(worker(dir));
    const r = await mf.dispatchFetch("http://bench.local/v1/admin/import", {
      method: "POST", body: readFileSync(`${root}demo/alliance.json`), headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    });
    if (r.status !== 200) throw new Error(`import into ${dir}: ${r.status} ${await r.text()}`);
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
