// Shared helpers for the browser tests: Debian's Chromium driven by playwright-core, and page
// objects for the widget. The edge and the demo host site are started by `cargo xtask test`,
// which passes their URLs in EDGE_URL and HOST_URL.
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const EDGE_URL = process.env.EDGE_URL ?? "http://127.0.0.1:18787";
export const HOST_URL = process.env.HOST_URL ?? "http://127.0.0.1:18080";
export const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? "";
export const ARTIFACTS = process.env.ARTIFACTS ?? "test-artifacts";

/**
 * The Chromium a test file's tests share: launched before its first test, closed after its last
 * (`useBrowser()` at the top of the file). A live binding: read it inside tests.
 */
export let browser;

/** Registers the file's browser: launched before its tests, closed after them. */
export function useBrowser() {
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
}

/** Launches headless Chromium with flags that work as root on these machines. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A phone-sized page (360×740) in a fresh context. */
export async function phonePage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, ...options });
  // `wrangler dev` was seen holding a file (embed.js, the module, a chunk) for 20–61 s, until the
  // next test's first request: its proxy parked a GET whose connection to the worker had just
  // dropped (patches/wrangler-4.86.0-proxy-retry.patch now retries it at once). The long limits
  // stay, for a machine slowed by other work.
  context.setDefaultNavigationTimeout(60000);
  context.setDefaultTimeout(60000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.jsErrors = errors;
  // Requests not yet answered, and the console, for the message of a wait that timed out.
  const pending = new Map();
  const consoleLines = [];
  page.on("request", (r) => pending.set(r, Date.now()));
  page.on("requestfinished", (r) => pending.delete(r));
  page.on("requestfailed", (r) => pending.delete(r) && consoleLines.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.diagnose = async () => {
    const now = Date.now();
    const open = [...pending].map(([r, t]) => `  ${r.method()} ${r.url()} (open ${now - t} ms)`);
    const shadow = await page
      .evaluate(() => [...document.querySelectorAll("[data-alliance-shop]")].map((e) => (e.shadowRoot ? e.shadowRoot.innerHTML : "(no shadow root) " + e.innerHTML).slice(0, 300)))
      .catch((e) => [`(page not readable: ${e.message})`]);
    return [
      `requests still open:${open.length ? "\n" + open.join("\n") : " none"}`,
      `console and failed requests:${consoleLines.length ? "\n  " + consoleLines.slice(-10).join("\n  ") : " none"}`,
      `placeholders:\n  ${shadow.join("\n  ")}`,
    ].join("\n");
  };
  return page;
}

const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/**
 * axe-core's WCAG 2.0–2.2 A/AA findings on the page (inside open shadow roots too), one line
 * each. Injected through the DevTools protocol, so pages with a strict CSP are checked as served.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** How far the page scrolls sideways past the viewport (0 when nothing overflows). */
export function overflowX(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Holds back every request matching `pattern` until the returned function is called. */
export async function holdRequests(page, pattern) {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(pattern, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** Saves a full-page screenshot as a test artefact. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Page object for one widget on a host page: `host` is a CSS selector for its placeholder. */
export class WidgetObject {
  constructor(page, host = "[data-alliance-shop]") {
    this.page = page;
    this.host = page.locator(host).first();
    // Playwright's CSS locators pierce open shadow roots.
    this.card = this.host.locator(".aw");
  }
  shopName() {
    return this.host.getByRole("heading", { level: 2 });
  }
  rating() {
    return this.host.locator(".aw-rating");
  }
  badge() {
    return this.host.locator("[data-badge]");
  }
  alert() {
    return this.host.getByRole("alert");
  }
  retryButton(name) {
    return this.host.getByRole("button", { name });
  }
  /** Waits until the widget has left its loading state. (Generously: see `phonePage`; speed is
   * the benchmarks' business, not this wait's.) */
  async settled() {
    try {
      await this.host.locator(".aw[aria-busy=false]").waitFor({ timeout: 45000 });
    } catch (e) {
      // Says what the page was waiting for (a flake in a full run is otherwise a bare timeout).
      if (this.page.diagnose) e.message += "\n" + (await this.page.diagnose());
      throw e;
    }
  }
}

/**
 * Opens `url` on a fresh phone page (`options` for its context) and waits until the widget at each
 * of the `hosts` selectors has settled; returns the page and the widgets' page objects, in order.
 */
export async function openWidgets(url, hosts = ["[data-alliance-shop]"], options = {}) {
  const page = await phonePage(browser, options);
  await page.goto(url);
  const widgets = hosts.map((host) => new WidgetObject(page, host));
  for (const widget of widgets) await widget.settled();
  return { page, widgets };
}

/** Calls the edge's admin API with the admin token; returns the parsed JSON answer. */
export async function admin(method, path, body) {
  const res = await fetch(`${EDGE_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Serves one HTML page on a loopback port of its own (another origin); returns its URL. */
export async function serveOnce(html, port) {
  const { createServer } = await import("node:http");
  const server = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/** Creates a fresh member shop valid on the test host site; returns its id and a shop key. */
export async function freshShop(prefix, demo, rules = {}, fields = {}) {
  const id = `${prefix}-${Date.now() % 1000000}`;
  const shop = structuredClone(demo.shops[0]);
  shop.id = id;
  Object.assign(shop.booking, rules);
  Object.assign(shop, fields);
  shop.membership.allowed_origins = [HOST_URL];
  await admin("POST", "/v1/admin/shops", shop);
  const { key } = await admin("POST", `/v1/admin/shops/${id}/keys`, {});
  return { id, key };
}

/** The shop marks booking `reference` completed from its console, as staff would; returns the
 * review token of the link the completion issued. */
export async function completeViaConsole(shop, reference) {
  const form = (fields) => ({
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: EDGE_URL },
    body: new URLSearchParams(fields).toString(),
  });
  const login = await fetch(`${EDGE_URL}/console/login`, form({ key: shop.key }));
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  if (login.status !== 303 || !cookie) throw new Error(`console login: ${login.status}`);
  const path = `${EDGE_URL}/console/shop/${shop.id}/bookings/${reference}`;
  const page = await (await fetch(path, { headers: { cookie } })).text();
  const csrf = page.match(/name="csrf" value="([^"]+)"/)[1];
  const done = await fetch(path, { ...form({ csrf, action: "complete" }), headers: { ...form({}).headers, cookie } });
  if (done.status !== 303) throw new Error(`complete ${reference}: ${done.status} ${await done.text()}`);
  // The completed booking's page shows the customer's review link.
  const shown = await (await fetch(path, { headers: { cookie } })).text();
  return shown.match(/review=([A-Za-z0-9_.\-]+)/)?.[1];
}

/** A review link's token, made the way a shop invites a past customer: the visit (work order
 * `visit`, today, `service`) is recorded first. */
export async function inviteToken(shop, visit, service = "oil") {
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Taipei" });
  const res = await fetch(`${EDGE_URL}/v1/shop/invites`, {
    method: "POST",
    headers: { authorization: `Bearer ${shop.key}`, "content-type": "application/json" },
    body: JSON.stringify({ work_order: visit, visit_date: today, service }),
  });
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

/** Page object for the review form a review link opens. */
export class ReviewFormObject {
  constructor(widget) {
    this.root = widget.host.locator("form.aw-form");
  }
  async fill({ stars, text, author, service }) {
    if (stars) await this.root.locator(`input[name=aw-stars][value="${stars}"]`).check();
    if (text !== undefined) await this.root.locator("#aw-text").fill(text);
    if (service) await this.root.locator("#aw-service").selectOption(service);
    if (author !== undefined) await this.root.locator("#aw-author").fill(author);
  }
  submit() {
    return this.root.getByRole("button", { name: /送出評價|Publish review/ }).click();
  }
  error(field) {
    return this.root.locator(`#aw-err-${field}`);
  }
}

/** Presses Tab until the focused element (looking inside shadow roots) matches; returns it. */
export async function tabTo(page, match, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const d = await page.evaluate(() => {
      let a = document.activeElement;
      while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
      if (!a) return null;
      return { tag: a.tagName, text: (a.textContent || "").trim(), id: a.id, name: a.getAttribute("name"), cls: a.className || "" };
    });
    if (d && match(d)) return d;
  }
  throw new Error("not reachable with the Tab key");
}

/**
 * The booking flow's time and details steps with the keyboard alone: the first free time, each
 * `[field id, text]` of `details` typed in, and the consent box ticked.
 */
export async function keyboardDetails(page, details) {
  await tabTo(page, (d) => d.cls.includes("aw-time"));
  await page.keyboard.press("Enter");
  for (const [id, text] of details) {
    await tabTo(page, (d) => d.id === id);
    await page.keyboard.type(text);
  }
  await tabTo(page, (d) => d.id === "aw-b-consent");
  await page.keyboard.press("Space");
}

/** Books a slot through the API, as the shop's own site would. */
export async function bookViaApi(shopId, start, n, extra = {}) {
  const res = await fetch(`${EDGE_URL}/v1/shops/${shopId}/bookings`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: HOST_URL, "cf-connecting-ip": `10.8.0.${n}` },
    body: JSON.stringify({
      service: "oil", start, make: "Ford", model: "Focus", year: "2018", plate: `AB-${1000 + n}`,
      name: "Test", phone: `09${String(20000000 + n).padStart(8, "0")}`, consent: true, locale: "en",
      ...extra,
    }),
  });
  if (res.status !== 201) throw new Error(`booking ${start}: ${res.status} ${await res.text()}`);
  return res.json();
}
