// What the worker benchmarks share: the built worker (`cargo xtask build` writes edge/build) run
// on local workerd through Miniflare, with the bindings it needs, and the demo alliance.
import { readFileSync } from "node:fs";

export const root = new URL("../../../", import.meta.url).pathname;
export const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef0123";

/** Miniflare's options for the worker built in `dir` (relative to the project), plus `extra`. */
export function workerOptions(dir = "edge/build", extra = {}) {
  return {
    rootPath: `${root}${dir.replace(/\/?$/, "/")}`,
    scriptPath: "index.js",
    modules: true,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    kvNamespaces: ["DATA"],
    durableObjects: { SHOPS: { className: "ShopDo", useSQLite: true } },
    bindings: { ADMIN_TOKEN, LINK_SECRET: "bench-link-secret-0123456789abcdef0123", ALLOW_LOCAL_ORIGINS: "true" },
    ...extra,
  };
}

/** Imports `demo/alliance.json` through the admin API of the running `mf`. */
export async function importDemo(mf) {
  const r = await mf.dispatchFetch("http://bench.local/v1/admin/import", {
    method: "POST",
    body: readFileSync(`${root}demo/alliance.json`),
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
  });
  if (r.status !== 200) throw new Error(`import: ${r.status} ${await r.text()}`);
}
