// A soak, not a test (about 8 minutes): requests to a running `wrangler dev` on fresh
// connections, each sent 4.984-4.995 s after the last answer, where kj's 5 s keep-alive timeout
// closes the proxy's idle connection to the worker. Without patches/wrangler-4.86.0-proxy-retry.patch
// a GET that meets the closing connection is held until another request arrives (here: never,
// so it times out after 20 s); with it, wrangler's log says "ProxyWorker: retrying" and the
// answer comes at once.
//   cargo xtask dev   # in another terminal
//   node tests/dev-server/keep-alive-race.mjs          # EDGE_URL, ROUNDS=100
import http from "node:http";

const edge = new URL(process.env.EDGE_URL || "http://127.0.0.1:8787");
const rounds = +(process.env.ROUNDS || 100);
const paths = ["/embed.js", "/health"];

function get(path) {
  return new Promise((resolve) => {
    const t = Date.now();
    const req = http.get({ host: edge.hostname, port: edge.port, path, agent: false, timeout: 20000 }, (res) => {
      res.resume();
      res.on("end", () => resolve([res.statusCode, Date.now() - t]));
    });
    req.on("timeout", () => (req.destroy(), resolve(["timeout", Date.now() - t])));
    req.on("error", (e) => resolve([e.code, Date.now() - t]));
  });
}

const times = [];
let held = 0;
for (let i = 0; i < rounds; i++) {
  const gap = 4984 + ((i * 3) % 12);
  await new Promise((r) => setTimeout(r, gap));
  const path = paths[i % paths.length];
  const [status, ms] = await get(path);
  times.push(ms);
  if (status !== 200) held++;
  console.log(`${i} gap=${gap}ms ${path} ${status} ${ms}ms`);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ rounds, not_answered: held, median_ms: times[times.length >> 1], max_ms: times.at(-1) }));
