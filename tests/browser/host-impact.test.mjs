// What the host page sees while the widget loads: the snippet's own SVG badge stays until the
// widget can draw, a page that reserves the widget's height never moves, and a widget whose
// files cannot load leaves the badge (or, with no badge, a sentence) rather than a blank box.
import { test } from "node:test";
import assert from "node:assert/strict";
import { phonePage, screenshot, serveOnce, WidgetObject, HOST_URL, EDGE_URL, holdRequests, browser, useBrowser } from "./helpers.mjs";

useBrowser();

/** Sums layout shifts without recent input, from the page's start. */
async function watchShifts(page) {
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => !e.hadRecentInput && window.__shifts.push(e.value))).observe({ type: "layout-shift", buffered: true });
  });
}

test("the snippet's badge stays visible while the first view loads, and the first view needs no wasm", async () => {
  const page = await phonePage(browser);
  const wasm = await holdRequests(page, "**/widget_bg.wasm");
  const release = await holdRequests(page, "**/first-view*");
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const fallback = page.locator("[data-alliance-shop] > a > img");
  await page.waitForTimeout(1500);
  assert.ok(await fallback.isVisible(), "the SVG badge is shown while the first view loads");
  assert.equal(await page.evaluate(() => !!document.querySelector("[data-alliance-shop]").shadowRoot), false);
  release();
  const widget = new WidgetObject(page);
  // The edge's HTML and the stylesheet draw the widget while the module is still held back.
  await widget.settled();
  assert.ok(await widget.badge().isVisible());
  assert.equal(await fallback.isVisible(), false, "the widget replaces the SVG badge");
  wasm();
});

test("a page that reserves the widget's height in its CSS does not move at all", async () => {
  const page = await phonePage(browser);
  await watchShifts(page);
  await page.goto(`${HOST_URL}/reserved.html?shop=da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.rating().waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.__shifts), []);
  // The reservation is the host's: still there after the widget has laid out.
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("[data-alliance-shop]")).minHeight), "1440px");
});

test("on a page without a reservation the text below moves once, when the widget appears", async () => {
  const page = await phonePage(browser);
  await watchShifts(page);
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  await new WidgetObject(page).settled();
  await page.waitForTimeout(500);
  const shifts = await page.evaluate(() => window.__shifts);
  assert.equal(shifts.length, 1, `one shift, not a collapse and a loading state first: ${shifts}`);
});

test("a repeat visit at the same width holds the height the widget had last time until it draws; another width holds none, and keeps its own beside it", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  await new WidgetObject(page).settled();
  // The height is remembered a second after the widget has laid out.
  await page.waitForFunction(() => localStorage.getItem("aw-h:da-an-auto:all"), null, { timeout: 20000 });
  const had = await page.evaluate(() => Math.round(document.querySelector("[data-alliance-shop]").shadowRoot.lastElementChild.getBoundingClientRect().height));
  assert.ok(had > 300, `the first view's height: ${had}`);

  // Again, with the first view held back: the placeholder already holds that height.
  const again = await page.context().newPage();
  const release = await holdRequests(again, "**/first-view?*");
  await again.goto(`${HOST_URL}/shop/da-an-auto`);
  await again.waitForFunction(() => document.querySelector("[data-alliance-shop]").style.minHeight !== "");
  const held = await again.evaluate(() => document.querySelector("[data-alliance-shop]").getBoundingClientRect().height);
  assert.ok(Math.abs(held - had) <= 2, `held ${held}, had ${had}`);
  release();
  await new WidgetObject(again).settled();
  await again.waitForFunction(() => document.querySelector("[data-alliance-shop]").style.minHeight === "");

  // At another width the remembered height is not this widget's: nothing is held.
  const wide = await page.context().newPage();
  await wide.setViewportSize({ width: 1024, height: 740 });
  const releaseWide = await holdRequests(wide, "**/first-view?*");
  await wide.goto(`${HOST_URL}/shop/da-an-auto`);
  await wide.waitForTimeout(1000);
  assert.equal(await wide.evaluate(() => document.querySelector("[data-alliance-shop]").style.minHeight), "");
  // That width's height is remembered too, beside the first (a phone turned sideways and back).
  const stored = () => JSON.stringify({ ...localStorage });
  const before = await wide.evaluate(stored);
  releaseWide();
  await new WidgetObject(wide).settled();
  await wide.waitForFunction((b) => JSON.stringify({ ...localStorage }) !== b, before, { timeout: 20000 });
  const back = await page.context().newPage();
  const releaseBack = await holdRequests(back, "**/first-view?*");
  await back.goto(`${HOST_URL}/shop/da-an-auto`);
  await back.waitForFunction(() => document.querySelector("[data-alliance-shop]").style.minHeight !== "");
  const heldBack = await back.evaluate(() => document.querySelector("[data-alliance-shop]").getBoundingClientRect().height);
  assert.ok(Math.abs(heldBack - had) <= 2, `back at the first width: held ${heldBack}, had ${had}`);
  releaseBack();
});

test("when the widget's files cannot load, the snippet's badge stays, and an empty placeholder says so", async () => {
  const page = await phonePage(browser, { locale: "en-US" });
  // The build's folder (stylesheet, glue, module) is out of reach; the first view answers.
  await page.route("**/w/**", (route) => route.abort("internetdisconnected"));
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  await page.waitForTimeout(1500);
  assert.ok(await page.locator("[data-alliance-shop] > a > img").isVisible(), "the SVG badge and its link stay");
  assert.ok(await page.locator("[data-alliance-shop] > a").getAttribute("href"));

  await page.goto(`${HOST_URL}/english.html`);
  const alert = page.locator("[data-alliance-shop] [role=alert]");
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not load/);
  await screenshot(page, "widget-files-failed-360");
});

test("when only the module cannot load, the first view stays as it is, and a reach tries again", async () => {
  const page = await phonePage(browser, { locale: "en-US" });
  let refuse = true;
  const asked = [];
  await page.route("**/widget_bg.wasm", (route) => (asked.push(1), refuse ? route.abort("internetdisconnected") : route.continue()));
  await page.goto(`${HOST_URL}/english.html`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.host.locator(".aw").hover();
  await page.waitForTimeout(1000);
  assert.ok(asked.length >= 1, "the module was asked for on reach");
  assert.equal(await widget.host.locator("[role=alert]").count(), 0, "no failure notice over a working first view");
  assert.ok(await widget.shopName().isVisible());
  refuse = false;
  await page.mouse.move(0, 0);
  await widget.host.locator(".aw").hover();
  // Hydrated this time: the booking button works.
  await widget.host.getByRole("button", { name: "Book a visit" }).click();
  await widget.host.getByRole("button", { name: "Next" }).waitFor();
  assert.ok(asked.length >= 2, "a later reach asked again");
});

/**
 * Serves a page whose placeholder (`#w`, shop da-an-auto) is 4000 px down and whose main thread
 * is kept busy (no idle time) until the test ends, opens it at phone size and hands the tab to
 * `fn`; `head` goes before the page's own content. `listen` runs before the page loads.
 */
async function farDownBusyPage(port, { head = "", listen = () => {} }, fn) {
  const page = `<!doctype html><meta name=viewport content="width=device-width">${head}
    <p>Top of a long page</p><div style="height:4000px"></div>
    <div id=w data-alliance-shop="da-an-auto"></div>
    <script>const ch = new MessageChannel();
      ch.port1.onmessage = () => { const t = performance.now(); while (performance.now() - t < 30); if (!window.__calm) ch.port2.postMessage(0); };
      ch.port2.postMessage(0);</script>
    <script src="${EDGE_URL}/embed.js" async></script>`;
  const site = await serveOnce(page, port);
  try {
    const tab = await phonePage(browser);
    listen(tab);
    await tab.goto(site.url);
    await fn(tab);
    await tab.evaluate(() => (window.__calm = true));
  } finally {
    site.close();
  }
}

test("far down a busy page the first view waits for the viewport, and the module for the visitor's reach", async () => {
  const fetched = [];
  const data = [];
  const listen = (tab) => {
    tab.on("request", (r) => r.url().endsWith("/widget_bg.wasm") && fetched.push(Date.now()));
    tab.on("request", (r) => new URL(r.url()).pathname == "/v1/shops/da-an-auto/first-view" && data.push(Date.now()));
  };
  await farDownBusyPage(18131, { listen }, async (tab) => {
    await tab.waitForTimeout(1500);
    assert.equal(fetched.length, 0, "not fetched while far away and the page is busy");
    // The first view (one small GET) does not wait: it is ready when the placeholder nears.
    assert.equal(data.length, 1, "the first-view request started at once");
    await tab.locator("#w").scrollIntoViewIfNeeded();
    const widget = new WidgetObject(tab);
    await widget.settled();
    assert.equal(data.length, 1, "the early answer was used, not asked again");
    assert.equal(await widget.shopName().textContent(), "Da'an Auto Care");
    // A visitor who only looks (and a page with no idle time) never pays for the module.
    await tab.waitForTimeout(1000);
    assert.equal(fetched.length, 0, "not fetched for looking");
    const reached = Date.now();
    await tab.locator("#w").hover();
    await tab.waitForFunction(() => document.getElementById("w").shadowRoot.querySelector(".aw"));
    await tab.waitForTimeout(1000);
    assert.equal(fetched.length, 1, "fetched once the visitor reached for it");
    assert.ok(fetched[0] >= reached);
  });
});

test("an early first-view answer older than 30 s is not shown: the widget asks again", async () => {
  // The page's clock jumps 31 s before the visitor scrolls.
  const head = `<script>const real = Date.now; let skip = 0; Date.now = () => real() + skip; window.__skip = (ms) => (skip += ms);</script>`;
  const data = [];
  const listen = (tab) => tab.on("request", (r) => new URL(r.url()).pathname == "/v1/shops/da-an-auto/first-view" && data.push(r));
  await farDownBusyPage(18132, { head, listen }, async (tab) => {
    await tab.waitForTimeout(1000);
    assert.equal(data.length, 1, "the first-view request started at once");
    await tab.evaluate(() => window.__skip(31000));
    await tab.locator("#w").scrollIntoViewIfNeeded();
    const widget = new WidgetObject(tab);
    await widget.settled();
    assert.equal(data.length, 2, "asked again: the early answer was too old to show");
    assert.equal(await widget.shopName().textContent(), "Da'an Auto Care");
  });
});

test("a placeholder given another shop before it mounts shows that shop, not the early answer", async () => {
  // A single-page site reuses the element: the early request was for the first shop.
  const asked = [];
  const listen = (tab) => tab.on("request", (r) => r.url().includes("/v1/shops/") && asked.push(new URL(r.url()).pathname));
  const first = (id) => `/v1/shops/${id}/first-view`;
  await farDownBusyPage(18133, { listen }, async (tab) => {
    await tab.waitForTimeout(1000);
    assert.deepEqual(asked, [first("da-an-auto")]);
    await tab.evaluate(() => document.getElementById("w").setAttribute("data-alliance-shop", "xinyi-ev"));
    await tab.locator("#w").scrollIntoViewIfNeeded();
    const widget = new WidgetObject(tab);
    await widget.settled();
    assert.equal(await widget.shopName().textContent(), "Xinyi EV Works");
    assert.deepEqual(asked, [first("da-an-auto"), first("xinyi-ev")]);
  });
});
