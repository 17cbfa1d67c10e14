// Benchmark (not a test): the first view's time to badge and rating with the round trips on
// the connections, not added per request. `first-view.mjs` throttles with DevTools, which
// delays each request by the latency but opens connections for free, so it cannot see what a
// new connection costs. Here every byte between Chromium and the servers passes a small TCP
// relay in this process that delays it half a round trip each way, queues it behind the others
// at the link's rate (1.6 Mbit/s down, 750 kbit/s up, shared by every connection, as one phone's
// link is), and holds a new connection's first bytes for its handshake (HANDSHAKE_RTTS round
// trips: 2 for TCP and TLS 1.3, as HTTPS costs; this machine's kernel has no netem).
//
// Each run is a first visit in a fresh browser context, then a returning one in the same
// context with every connection closed (the cache kept; the loader and the SVG badge
// revalidated, as once their short max-ages are over). Two loaders of the same build,
// interleaved: `embed.js` as served, and the same file with its requests made without
// credentials (`embed-anonymous.js`), which Chromium keeps off the connections the page's
// script and image came on. The page is the demo shop page on a host of its own; the edge is
// reached through an HTTP proxy in this process that serves the variant and compresses text
// and wasm with brotli as Cloudflare would (`wrangler dev` gzips), so both loaders see the
// same server. Prints, per loader and visit, the median ms from the loader's request to the
// badge and rating on screen (4x CPU), and how many of the first view's two requests (the
// document and the stylesheet) waited for a new connection.
//
// Needs `cargo xtask dev` running, and root (it raises its own and workerd's priority).
//   RUNS=7 node tests/browser/bench/first-view-wire.mjs
import http from "node:http";
import net from "node:net";
import { brotliCompressSync, constants } from "node:zlib";
import { launch, HOST_URL, EDGE_URL } from "../helpers.mjs";
import { visit, edgeFirst } from "./page-record.mjs";

edgeFirst();
const RUNS = Number(process.env.RUNS ?? 7);
const RTT = Number(process.env.RTT ?? 150);
const HANDSHAKE_RTTS = Number(process.env.HANDSHAKE_RTTS ?? 2);
const host = process.env.BENCH_HOST ?? HOST_URL.replace("18080", "8080");
const edge = new URL(process.env.BENCH_EDGE ?? EDGE_URL.replace("18787", "8787"));
// The edge's proxy and the pages, each behind its relay (the port Chromium is given).
const PROXY = 8788, EDGE_WIRE = 8789, PAGES = 8790, PAGES_WIRE = 8791;
const proxied = `http://127.0.0.1:${EDGE_WIRE}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The loader as served, and the variant without credentials.
const loader = await (await fetch(new URL("/embed.js", edge))).text();
const anonymous = loader.replaceAll('credentials:"include"', 'credentials:"same-origin"');
if (anonymous === loader) throw new Error("embed.js makes no request with credentials: nothing to compare");

/** Answers with `body` in brotli (the browser accepts it: checked by the caller for files). */
function compressed(req, res, status, headers, body) {
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  const out = { ...headers, "content-encoding": "br", "content-length": br.length };
  delete out["transfer-encoding"];
  res.writeHead(status, out);
  res.end(br);
}

// The edge, through this process: everything passes through unchanged (same Host, same
// headers, kept-alive connections both ways) but the variant loader.
const upstream = new http.Agent({ keepAlive: true });
const proxy = http.createServer((req, res) => {
  if (req.url === "/embed-anonymous.js") {
    const headers = { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache", etag: '"anonymous"', "access-control-allow-origin": "*" };
    if (req.headers["if-none-match"] === '"anonymous"') return res.writeHead(304, headers).end();
    return compressed(req, res, 200, headers, Buffer.from(anonymous));
  }
  // Asked for as it is (workerd may compress too); compressed here when the browser accepts it.
  const headers = { ...req.headers, "accept-encoding": "identity" };
  const up = http.request({ host: edge.hostname, port: edge.port, path: req.url, method: req.method, headers, agent: upstream }, (r) => {
    // A returning visitor comes back after the loader's and the badge's short max-ages (5 min,
    // 10 s) are over: both are revalidated, as here on every visit.
    if (/^\/(embed\.js|badge\/)/.test(req.url)) r.headers["cache-control"] = "no-cache";
    // Compressed with brotli as Cloudflare would serve it (asked for as it is: wrangler dev gzips).
    const type = r.headers["content-type"] ?? "";
    if (!/br/.test(req.headers["accept-encoding"] ?? "") || !/javascript|json|css|svg|html|wasm/.test(type) || r.statusCode === 304) {
      res.writeHead(r.statusCode, r.headers);
      return r.pipe(res);
    }
    const parts = [];
    r.on("data", (c) => parts.push(c));
    r.on("end", () => compressed(req, res, r.statusCode, r.headers, Buffer.concat(parts)));
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

// The phone's link: one queue each way, shared by every connection through either relay.
const link = { down: { free: 0, bps: 1.6e6 }, up: { free: 0, bps: 750e3 } };
/** Forwards `from`'s bytes to `to` as the link would deliver them: after the bytes before them
 * (at the link's rate), half a round trip later; nothing before `notBefore()`. */
function carry(from, to, way, notBefore = () => 0) {
  let last = 0;
  from.on("data", (chunk) => {
    const now = performance.now();
    const leaves = Math.max(now, way.free, notBefore()) + (chunk.length * 8 * 1000) / way.bps;
    way.free = leaves;
    last = leaves + RTT / 2;
    setTimeout(() => to.write(chunk), last - now);
  });
  from.on("end", () => setTimeout(() => to.end(), Math.max(0, last - performance.now())));
  from.on("error", () => to.destroy());
}
// Every connection through the relays, so a returning visit can start without any.
const open = new Set();
const dropConnections = () => open.forEach((s) => s.destroy());
/** A relay on `port` to `target`: a connection's first bytes wait for its handshake. */
function relay(port, target) {
  const server = net.createServer((client) => {
    const opened = performance.now();
    const server = net.connect(target, "127.0.0.1");
    for (const s of [client, server]) open.add(s), s.on("close", () => open.delete(s));
    client.setNoDelay(true);
    server.setNoDelay(true);
    carry(client, server, link.up, () => opened + HANDSHAKE_RTTS * RTT);
    carry(server, client, link.down);
  });
  return new Promise((r) => server.listen(port, "127.0.0.1", () => r(server)));
}
const relays = [await relay(EDGE_WIRE, PROXY), await relay(PAGES_WIRE, PAGES)];

const browser = await launch();
const results = { a: [], b: [], a_returning: [], b_returning: [] };
const connections = { a: [], b: [], a_returning: [], b_returning: [] };
const failed = { a: 0, b: 0, a_returning: 0, b_returning: 0 };

/** One visit of page `which` in `context`, counted under `label`. */
async function measure(context, which, label) {
  const p = await context.newPage();
  const cdp = await context.newCDPSession(p);
  await cdp.send("Network.enable");
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // The first view's two requests, and whether each waited for a connection of its own.
  const seen = [];
  cdp.on("Network.responseReceived", ({ response: r }) => {
    if (!r.url.startsWith(proxied)) return;
    const path = new URL(r.url).pathname.replace(/^\/w\/[^/]+\//, "/w/BUILD/");
    seen.push({ path, status: r.status, connection: r.connectionId, new: r.timing.connectStart >= 0, sent: Math.round(r.timing.requestTime * 1000) % 100000, headers: Math.round(r.timing.receiveHeadersEnd) });
  });
  if (process.env.VERBOSE) p.on("console", (m) => console.error(label, m.type(), m.text()));
  const v = await visit(p, `http://127.0.0.1:${PAGES_WIRE}/${which}`).catch((e) => {
    console.error(label, e.message, JSON.stringify(seen));
    return null;
  });
  await p.close();
  if (!v) return failed[label]++;
  results[label].push(Math.round(v.ms));
  const firstView = seen.filter((r) => r.path.endsWith("/first-view") || r.path === "/w/BUILD/widget.css");
  connections[label].push(firstView.filter((r) => r.new).length);
  if (process.env.VERBOSE) console.error(label, Math.round(v.ms), JSON.stringify(seen));
}

try {
  for (let i = 0; i < RUNS * 2; i++) {
    // a b, b a, a b, ...: neither loader always goes first.
    const which = (i % 2 === 0) === (Math.floor(i / 2) % 2 === 0) ? "a" : "b";
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await measure(context, which, which);
    // The same visitor later: the browser's cache kept, every connection gone.
    dropConnections();
    await measure(context, which, `${which}_returning`);
    await context.close();
  }
} finally {
  await browser.close();
  relays.forEach((r) => r.close());
  proxy.close();
  pages.close();
  upstream.destroy();
}
const summary = (label) => ({ ms: median(results[label]), new_connections_for_the_first_view: median(connections[label]), runs: results[label], new_connections: connections[label], did_not_appear: failed[label] });
console.log(JSON.stringify({
  rtt_ms: RTT, handshake_rtts: HANDSHAKE_RTTS, runs: RUNS,
  cold_with_credentials: summary("a"), cold_without: summary("b"),
  returning_with_credentials: summary("a_returning"), returning_without: summary("b_returning"),
}, null, 1));
process.exit(0);
