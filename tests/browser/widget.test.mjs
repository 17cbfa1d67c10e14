// The widget on the demo host site (its own origin), served from the local edge: what a
// customer on a phone sees.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, screenshot, WidgetObject, openWidgets, HOST_URL, holdRequests, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));
const shop = (id) => demo.shops.find((s) => s.id === id);
const reviewsOf = (id) => demo.reviews.filter((r) => r.shop === id);
const average = (id) => {
  const r = reviewsOf(id);
  const tenths = Math.floor((r.reduce((a, x) => a + x.stars, 0) * 20 + r.length) / (r.length * 2));
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
};

useBrowser();

test("shop page shows the shop's name and rating inside a shadow root", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);

  await widget.settled();

  const s = shop("da-an-auto");
  assert.equal(await widget.shopName().textContent(), s.name["zh-TW"]);
  const rating = await widget.rating().textContent();
  assert.match(rating, new RegExp(`${average("da-an-auto")}`));
  assert.match(rating, new RegExp(`${reviewsOf("da-an-auto").length} 則評價`));
  assert.ok(await widget.host.locator(`[role=img][aria-label*="${average("da-an-auto")}"]`).count());
  const inShadow = await page.evaluate(() => {
    const host = document.querySelector("[data-alliance-shop]");
    return !!host.shadowRoot && host.shadowRoot.textContent.includes("大安");
  });
  assert.ok(inShadow, "rendered inside the placeholder's shadow root");
  assert.match(await widget.badge().textContent(), /2018 年起的認證會員/);
  assert.deepEqual(page.jsErrors, []);
  await screenshot(page, "shop-360");
});

test("at 360×740 nothing overflows horizontally", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/neihu-motors`);
  await new WidgetObject(page).settled();

  const sizes = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    widget: document.querySelector("[data-alliance-shop]").shadowRoot.querySelector(".aw").getBoundingClientRect().right,
  }));

  assert.ok(sizes.scroll <= sizes.inner, `page scrolls sideways: ${JSON.stringify(sizes)}`);
  assert.ok(sizes.widget <= sizes.inner, `widget sticks out: ${JSON.stringify(sizes)}`);
});

test("a hostile host stylesheet leaves the widget unchanged", async () => {
  const styleOf = async (url) => {
    const page = await phonePage(browser);
    await page.goto(url);
    const widget = new WidgetObject(page);
    await widget.settled();
    const style = await widget.shopName().evaluate((el) => {
      const cs = getComputedStyle(el);
      return { color: cs.color, fontSize: cs.fontSize, fontFamily: cs.fontFamily, lineHeight: cs.lineHeight, letterSpacing: cs.letterSpacing, display: cs.display };
    });
    const visible = await widget.shopName().isVisible();
    return { page, style, visible };
  };
  const calm = await styleOf(`${HOST_URL}/two.html`);

  const hostile = await styleOf(`${HOST_URL}/hostile.html`);

  assert.deepEqual(hostile.style, calm.style);
  assert.ok(hostile.visible);
  assert.notEqual(hostile.style.color, "rgb(255, 0, 0)");
  await screenshot(hostile.page, "hostile-360");
});

test("two widgets for two shops on one page both render, each in its own language", async () => {
  const { page, widgets: [first, second] } = await openWidgets(`${HOST_URL}/two.html`, ["#first", "#second"]);

  assert.equal(await first.shopName().textContent(), shop("da-an-auto").name["zh-TW"]);
  assert.equal(await second.shopName().textContent(), shop("neihu-motors").name.en);
  assert.match(await second.rating().textContent(), /\d+ reviews/);
  assert.match(await second.badge().textContent(), /North Taiwan Independent Garage Alliance/);
  await screenshot(page, "two-widgets-360");
});

test("the script tag alone shows the widget where it stands, in the page's language", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/english.html`);
  const widget = new WidgetObject(page);

  await widget.settled();

  assert.equal(await widget.shopName().textContent(), shop("xinyi-ev").name.en);
  assert.equal(await page.locator("[data-alliance-shop]").count(), 1);
});

test("a shop without reviews shows the designed empty state", async () => {
  const page = await phonePage(browser, { locale: "en-US" });
  await page.goto(`${HOST_URL}/shop/tamsui-new`);
  const widget = new WidgetObject(page);

  await widget.settled();

  assert.equal(reviewsOf("tamsui-new").length, 0);
  assert.equal(await widget.rating().textContent(), "尚無評價，成為第一位評價的顧客吧。");
  await screenshot(page, "empty-360");
});

test("unknown and malformed shops get their own explained states, not a blank box", async () => {
  const { page, widgets: [unknown, malformed] } = await openWidgets(`${HOST_URL}/unknown.html`, ["#unknown", "#malformed"]);

  assert.equal(await unknown.alert().getAttribute("data-state"), "unknown-shop");
  assert.match(await unknown.alert().textContent(), /不在聯盟的會員名單中/);
  assert.equal(await malformed.alert().getAttribute("data-state"), "invalid-shop");
  assert.match(await malformed.alert().textContent(), /shop code is set up wrongly/);
  await screenshot(page, "unknown-360");
});

test("while data loads the widget shows its loading state", async () => {
  const page = await phonePage(browser);
  // Hold the real edge's answer back until the loading state has been seen. The first view
  // the edge renders keeps the snippet's badge until it arrives; the client-side mount (here:
  // a page opened from a review link) draws its own loading state.
  const release = await holdRequests(page, "**/v1/shops/*/first-view*");
  await page.goto(`${HOST_URL}/shop/shilin-tire#review=pending`);
  const widget = new WidgetObject(page);

  await widget.host.getByRole("status").first().waitFor();

  assert.equal(await widget.host.getByRole("status").first().textContent(), "正在載入店家資訊…");
  assert.equal(await widget.card.getAttribute("aria-busy"), "true");
  await screenshot(page, "loading-360");
  release();
  await widget.settled();
  assert.equal(await widget.shopName().textContent(), shop("shilin-tire").name["zh-TW"]);
});

test("when the edge's storage fails the widget shows a retry state, and retrying recovers", async () => {
  const page = await phonePage(browser, { locale: "en-US" });
  // A real request to the real edge, with the test-only fault switch set on it.
  await page.route("**/v1/shops/*/first-view*", (route) =>
    route.continue({ headers: { ...route.request().headers(), "x-fault-inject": "kv" } }),
  );
  await page.goto(`${HOST_URL}/english.html`);
  const widget = new WidgetObject(page);
  await widget.settled();

  assert.equal(await widget.alert().getAttribute("data-state"), "server");
  assert.match(await widget.alert().textContent(), /having trouble/);
  await screenshot(page, "storage-failure-360");
  await page.unroute("**/v1/shops/*/first-view*");
  await widget.retryButton("Try again").click();
  await widget.shopName().waitFor();
  assert.equal(await widget.shopName().textContent(), shop("xinyi-ev").name.en);
});

test("themes: dark by attribute, auto following the system, and an accent colour", async () => {
  const page = await phonePage(browser, { colorScheme: "dark" });
  await page.goto(`${HOST_URL}/themes.html`);
  const styles = {};
  for (const id of ["light", "dark", "auto", "accent"]) {
    const w = new WidgetObject(page, `#${id}`);
    await w.settled();
    styles[id] = await w.card.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { bg: cs.backgroundColor, fg: cs.color };
    });
  }
  const button = await new WidgetObject(page, "#accent").host.locator(".aw-book").evaluate((el) => getComputedStyle(el).backgroundColor);

  assert.equal(styles.light.bg, "rgb(255, 255, 255)");
  assert.equal(styles.dark.bg, "rgb(20, 25, 31)");
  assert.equal(styles.auto.bg, "rgb(20, 25, 31)", "auto follows the dark system setting");
  assert.equal(button, "rgb(194, 65, 12)");
  await screenshot(page, "themes-dark-system-360");
});
