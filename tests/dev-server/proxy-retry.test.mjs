// `wrangler dev` answers every request through its ProxyWorker, which forwards it to the worker
// (and the static assets) on a connection it keeps open. When that connection has just been
// dropped (kj closes an idle one after 5 s; a request sent at that moment fails), wrangler 4.86
// parks the GET until some other request arrives: a page waiting for one file waits for ever
// (the browser tests saw a module held 30-61 s). patches/wrangler-4.86.0-proxy-retry.patch
// retries it at once.
// This runs the installed ProxyWorker against a real local server that drops the first
// connection it gets, as the UserWorker's side does in that race.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";

const file = process.env.PROXY_WORKER || new URL("../../node_modules/wrangler/wrangler-dist/ProxyWorker.js", import.meta.url).pathname;

// workerd's Headers has getAll("Set-Cookie") (only for that header); Node's has getSetCookie().
if (!Headers.prototype.getAll) {
  Headers.prototype.getAll = function (name) {
    if (name.toLowerCase() !== "set-cookie") throw new TypeError("getAll() only supports Set-Cookie");
    return this.getSetCookie();
  };
}

test("a GET whose connection to the worker dropped is answered without waiting for another request", async (t) => {
  const { ProxyWorker } = await import(file);
  let seen = 0;
  const server = http.createServer((req, res) => {
    if (++seen === 1) return req.socket.destroy();
    res.writeHead(200, { "content-type": "application/wasm" });
    res.end("module bytes");
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const { port } = server.address();

  const proxy = new ProxyWorker({}, { PROXY_CONTROLLER_AUTH_SECRET: "secret" });
  proxy.proxyData = { userWorkerUrl: { protocol: "http:", hostname: "127.0.0.1", port: String(port) }, headers: {} };
  const answer = proxy.fetch(new Request("http://127.0.0.1:8787/w/build/split_manage.wasm"));
  const waited = await Promise.race([
    answer.then(async (res) => [res.status, await res.text()]),
    new Promise((r) => setTimeout(() => r("still waiting after 5 s with no other request"), 5000).unref()),
  ]);
  assert.deepEqual(waited, [200, "module bytes"]);
  assert.equal(seen, 2, "one dropped attempt, one answered");
});

test("a GET that keeps failing is not retried for ever", async (t) => {
  const { ProxyWorker } = await import(file);
  let seen = 0;
  const server = http.createServer((req) => {
    seen++;
    req.socket.destroy();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const { port } = server.address();
  const proxy = new ProxyWorker({}, { PROXY_CONTROLLER_AUTH_SECRET: "secret" });
  proxy.proxyData = { userWorkerUrl: { protocol: "http:", hostname: "127.0.0.1", port: String(port) }, headers: {} };
  proxy.fetch(new Request("http://127.0.0.1:8787/embed.js")).catch(() => {});
  await new Promise((r) => setTimeout(r, 2000));
  assert.ok(seen >= 2 && seen <= 4, `tried ${seen} times`);
});
