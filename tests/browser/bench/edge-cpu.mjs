// Benchmark (not a test): the edge's hot endpoints on local workerd driven directly through
// Miniflare (no `wrangler dev` proxy in between). Requests go one at a time, so each one's wall
// time is its CPU time plus local storage I/O: an upper bound on CPU per request. Prints median
// and p99 per endpoint over N requests after a warm-up. Needs `cargo xtask build` first:
//   node tests/browser/bench/edge-cpu.mjs
import { Miniflare } from "miniflare";
import { readFileSync } from "node:fs";

const N = Number(process.env.N ?? 300);
const root = new URL("../../../", import.meta.url);
const options = {
  rootPath: new URL("edge/build/", root).pathname,
  scriptPath: "index.js",
  modules: true,
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2026-04-01",
  kvNamespaces: ["DATA"],
  durableObjects: { SHOPS: { className: "ShopDo", useSQLite: true } },
  bindings: { ADMIN_TOKEN: "bench-admin-token-0123456789abcdef0123", LINK_SECRET: "bench-link-secret-0123456789abcdef0123", ALLOW_LOCAL_ORIGINS: "true" },
};
const mf = new Miniflare(options);
const base = "http://bench.local";
const demo = readFileSync(new URL("demo/alliance.json", root));
const imported = await mf.dispatchFetch(`${base}/v1/admin/import`, {
  method: "POST", body: demo, headers: { authorization: "Bearer bench-admin-token-0123456789abcdef0123", "content-type": "application/json" },
});
if (imported.status !== 200) throw new Error(`import: ${imported.status} ${await imported.text()}`);

let n = 0;
let etag;
const endpoints = {
  "first view (GET /v1/shops/{id}/widget)": () => mf.dispatchFetch(`${base}/v1/shops/da-an-auto/widget`),
  // The document from this location's Cache API (after the first request), rendered as HTML.
  "first view rendered (GET …/first-view)": () =>
    mf.dispatchFetch(`${base}/v1/shops/da-an-auto/first-view?locale=zh-TW&view=all`, { headers: { origin: "http://127.0.0.1:8080" } }),
  "first view rendered, revalidated (304)": async () => {
    etag ??= (await mf.dispatchFetch(`${base}/v1/shops/da-an-auto/first-view?locale=zh-TW&view=all`, { headers: { origin: "http://127.0.0.1:8080" } })).headers.get("etag");
    return mf.dispatchFetch(`${base}/v1/shops/da-an-auto/first-view?locale=zh-TW&view=all`, { headers: { origin: "http://127.0.0.1:8080", "if-none-match": etag } });
  },
  "reviews page (GET …/reviews?sort=lowest)": () => mf.dispatchFetch(`${base}/v1/shops/da-an-auto/reviews?sort=lowest&limit=5`),
  "availability (GET …/availability, 14 days)": () => mf.dispatchFetch(`${base}/v1/shops/da-an-auto/availability?service=oil&days=14`),
  "booking (POST …/bookings, new slot each)": () => {
    n++;
    const hour = 9 + (n % 8);
    const day = new Date(Date.now() + 8 * 3600_000 + (2 + Math.floor(n / 8)) * 86_400_000).toISOString().slice(0, 10);
    return mf.dispatchFetch(`${base}/v1/shops/da-an-auto/bookings`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://127.0.0.1:8080", "cf-connecting-ip": `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}` },
      body: JSON.stringify({ service: "oil", start: `${day}T${String(hour).padStart(2, "0")}:00:00+08:00`, make: "Toyota", model: "Altis", year: "2019", plate: "ABC-1234", name: "Bench", phone: `09${String(10000000 + n).padStart(8, "0")}`, consent: true, locale: "zh-TW" }),
    });
  },
};
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const out = {};
for (const [name, call] of Object.entries(endpoints)) {
  const times = [];
  let statuses = new Set();
  for (let i = 0; i < N + 20; i++) {
    const t = performance.now();
    const r = await call();
    await r.arrayBuffer();
    const ms = performance.now() - t;
    statuses.add(r.status);
    // Only successful answers count (a booking for a closed hour is refused early, cheaply).
    if (i >= 20 && r.status < 400) times.push(ms);
  }
  out[name] = { median_ms: +q(times, 0.5).toFixed(2), p99_ms: +q(times, 0.99).toFixed(2), counted: times.length, statuses: [...statuses] };
}
await mf.dispose();
// Startup: a fresh runtime, then the first request (the isolate evaluates the worker and
// instantiates its wasm on it), against a second one on the same runtime.
const startups = [];
for (let i = 0; i < 5; i++) {
  const fresh = new Miniflare({ ...options, kvNamespaces: ["DATA"] });
  await fresh.ready;
  const t = performance.now();
  await (await fresh.dispatchFetch(`${base}/health`)).text();
  const first = performance.now() - t;
  const t2 = performance.now();
  await (await fresh.dispatchFetch(`${base}/health`)).text();
  startups.push({ first, second: performance.now() - t2 });
  await fresh.dispose();
}
const firstMs = q(startups.map((x) => x.first), 0.5);
const secondMs = q(startups.map((x) => x.second), 0.5);
console.log(JSON.stringify({ requests_each: N, endpoints: out, startup: { first_request_ms: +firstMs.toFixed(1), next_request_ms: +secondMs.toFixed(1), isolate_start_ms: +(firstMs - secondMs).toFixed(1) } }, null, 1));
