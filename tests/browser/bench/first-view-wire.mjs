// Benchmark (not a test): the first view's cold time to badge and rating with the round trips on
// the wire, not added per request by DevTools. `first-view.mjs` throttles with DevTools, which
// delays each request by the latency but opens connections for free, so it cannot see what a
// new connection costs; here the kernel delays every packet (`tc netem` on the loopback, for
// this benchmark's two ports only), so a TCP handshake costs a round trip as it does on a real
// network (and TLS would cost one more: plain HTTP here).
//
// Two loaders of the same build, interleaved over fresh browser contexts: `embed.js` as served,
// and the same file with its requests made without credentials (`embed-anonymous.js`), which
// Chromium keeps off the connections the page's script and image came on. The page is the demo
// shop page on a host of its own; the edge is reached through a small proxy in this process
// (which serves the variant), so both loaders see the same server. Prints, per loader, the
// median ms from the loader's request to the badge and rating on screen (4x CPU), and how many
// connections the page opened to the edge.
//
// Needs root (tc) and `cargo xtask dev` running; removes its queueing rules when it ends.
//   RUNS=7 node tests/browser/bench/first-view-wire.mjs
import http from "node:http";
import { execFileSync } from "node:child_process";
import { launch, HOST_URL, EDGE_URL } from "../helpers.mjs";
import { visit } from "./page-record.mjs";

const RUNS = Number(process.env.RUNS ?? 7);
const RTT = Number(process.env.RTT ?? 150);
const host = process.env.BENCH_HOST ?? HOST_URL.replace("18080", "8080");
const edge = new URL(process.env.BENCH_EDGE ?? EDGE_URL.replace("18787", "8787"));
const PROXY = 8788, PAGES = 8790;
const proxied = `http://127.0.0.1:${PROXY}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The loader as served, and the variant without credentials.
const loader = await (await fetch(new URL("/embed.js", edge))).text();
const anonymous = loader.replaceAll('credentials:"include"', 'credentials:"same-origin"');
if (anonymous === loader) throw new Error("embed.js makes no request with credentials: nothing to compare");

// The edge, through this process: everything passes through unchanged (same Host, same
// headers, kept-alive connections both ways) but the variant loader.
const upstream = new http.Agent({ keepAlive: true });
const proxy = http.createServer((req, res) => {
  if (req.url === "/embed-anonymous.js") {
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300", "access-control-allow-origin": "*" });
    return res.end(anonymous);
  }
  const up = http.request({ host: edge.hostname, port: edge.port, path: req.url, method: req.method, headers: req.headers, agent: upstream }, (r) => {
    res.writeHead(r.statusCode, r.rawHeaders);
    r.pipe(res);
  });
  up.on("error", () => res.destroy());
  req.pipe(up);
});
// The demo shop's page with the edge's address replaced by the proxy's: `/a` loads `embed.js`,
// `/b` the variant.
const page = (await (await fetch(`${host}/shop/da-an-auto`)).text()).replaceAll(edge.origin, proxied);
const pages = http.createServer((req, res) => {
  const body = req.url === "/b" ? page.replace("/embed.js", "/embed-anonymous.js") : page;
  res.writeHead(req.url === "/a" || req.url === "/b" ? 200 : 404, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(body);
});
await new Promise((r) => proxy.listen(PROXY, "127.0.0.1", r));
await new Promise((r) => pages.listen(PAGES, "127.0.0.1", r));

// Half the round trip on each way, on the loopback, for the two ports only; uplink 750 kbit/s,
// downlink 1.6 Mbit/s as in first-view.mjs.
const tc = (...args) => execFileSync("tc", args, { stdio: ["ignore", "ignore", "inherit"] });
const clear = () => { try { tc("qdisc", "del", "dev", "lo", "root"); } catch {} };
clear();
tc("qdisc", "add", "dev", "lo", "root", "handle", "1:", "prio", "bands", "4", "priomap", ..."0".repeat(16).split(""));
tc("qdisc", "add", "dev", "lo", "parent", "1:2", "handle", "20:", "netem", "delay", `${RTT / 2}ms`, "rate", "1600kbit");
tc("qdisc", "add", "dev", "lo", "parent", "1:3", "handle", "30:", "netem", "delay", `${RTT / 2}ms`, "rate", "750kbit");
for (const port of [PROXY, PAGES]) {
  tc("filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32", "match", "ip", "sport", String(port), "0xffff", "flowid", "1:2");
  tc("filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32", "match", "ip", "dport", String(port), "0xffff", "flowid", "1:3");
}
process.on("exit", clear);
process.on("SIGINT", () => process.exit(130));

const browser = await launch();
const results = { a: [], b: [] }, connections = { a: [], b: [] };
try {
  for (let i = 0; i < RUNS * 2; i++) {
    // a b, b a, a b, ...: neither loader always goes first.
    const which = (i % 2 === 0) === (Math.floor(i / 2) % 2 === 0) ? "a" : "b";
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send("Network.enable");
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    const seen = new Set();
    cdp.on("Network.responseReceived", ({ response: r }) => r.url.startsWith(proxied) && seen.add(r.connectionId));
    const v = await visit(p, `http://127.0.0.1:${PAGES}/${which}`);
    results[which].push(Math.round(v.ms));
    connections[which].push(seen.size);
    await context.close();
  }
} finally {
  await browser.close();
  clear();
  proxy.close();
  pages.close();
  upstream.destroy();
}
console.log(JSON.stringify({
  rtt_ms: RTT, runs: RUNS,
  with_credentials: { cold_ms: median(results.a), edge_connections: median(connections.a), cold: results.a, connections: connections.a },
  without_credentials: { cold_ms: median(results.b), edge_connections: median(connections.b), cold: results.b, connections: connections.b },
}, null, 1));
process.exit(0);
