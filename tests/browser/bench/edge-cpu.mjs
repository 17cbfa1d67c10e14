// Benchmark (not a test): the edge's hot endpoints on local workerd driven directly through
// Miniflare (no `wrangler dev` proxy in between). Requests go one at a time, so each one's wall
// time is its CPU time plus local storage I/O: an upper bound on CPU per request. Prints median
// and p99 per endpoint over N requests after a warm-up (the worker's start-up on a fresh
// isolate: worker-startup.mjs). Needs `cargo xtask build` first:
//   node tests/browser/bench/edge-cpu.mjs
import { Miniflare } from "miniflare";
import { workerOptions, importDemo } from "./worker.mjs";

const N = Number(process.env.N ?? 300);
const mf = new Miniflare(workerOptions());
const base = "http://bench.local";
await importDemo(mf);

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
console.log(JSON.stringify({ requests_each: N, endpoints: out }, null, 1));
