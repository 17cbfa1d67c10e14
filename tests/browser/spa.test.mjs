// Single-page sites: mount/unmount through the loader's one global, twenty times over, returns
// DOM nodes and listeners to their baseline; loading the snippet twice adds no second widget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { phonePage, WidgetObject, HOST_URL, EDGE_URL, holdRequests, browser, useBrowser } from "./helpers.mjs";

useBrowser();

// Collected nodes are freed by the next full garbage collection, which may need a moment and
// more than one pass: take the lowest of a few measurements.
async function counters(page, cdp) {
  let best = { nodes: Infinity, listeners: Infinity };
  for (let i = 0; i < 5; i++) {
    await cdp.send("HeapProfiler.collectGarbage");
    await page.waitForTimeout(100);
    const c = await cdp.send("Memory.getDOMCounters");
    best = { nodes: Math.min(best.nodes, c.nodes), listeners: Math.min(best.listeners, c.jsEventListeners) };
  }
  return best;
}

/**
 * Runs `cycle` once (the first run loads what it needs), takes the baseline, runs it `times` more
 * and asserts that nodes and listeners are back at the baseline, with no script errors.
 */
async function assertCyclesLeakNothing(page, cycle, times) {
  const cdp = await page.context().newCDPSession(page);
  await cycle();
  const baseline = await counters(page, cdp);
  for (let i = 0; i < times; i++) await cycle();
  const end = await counters(page, cdp);
  assert.ok(end.nodes <= baseline.nodes + 5, `nodes ${baseline.nodes} → ${end.nodes}`);
  assert.ok(end.listeners <= baseline.listeners, `listeners ${baseline.listeners} → ${end.listeners}`);
  assert.deepEqual(page.jsErrors, []);
}

/** The single-page demo, with the loader's global ready. */
async function spaPage() {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/spa.html`);
  await page.waitForFunction(() => window.AllianceWidget && window.AllianceWidget.mount);
  return page;
}

/**
 * Mounts da-an-auto's widget, waits until it shows its shop, and unmounts it: into a new element
 * removed after, or (`id` given) into the same element every time, left in the page.
 */
const mountCycle = (page, id) =>
  page.evaluate(async (id) => {
    let el = id && document.getElementById(id);
    if (!el) {
      el = document.createElement("div");
      if (id) el.id = id;
      document.getElementById("view").appendChild(el);
    }
    window.AllianceWidget.mount(el, { shop: "da-an-auto", locale: "en" });
    const deadline = Date.now() + 15000;
    while (!(el.shadowRoot && el.shadowRoot.querySelector(".aw[aria-busy=false]")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!el.shadowRoot.querySelector(".aw-name")) throw new Error("widget did not render");
    window.AllianceWidget.unmount(el);
    if (!id) el.remove();
  }, id);

test("mount, unmount and remount twenty times: nodes and listeners return to their baseline", async () => {
  const page = await spaPage();
  // The first mount caches the stylesheet (the module is fetched at idle, and not hydrated:
  // nothing here reaches for the widget).
  await assertCyclesLeakNothing(page, () => mountCycle(page), 20);
});

test("mounting and unmounting the same element twenty times before it hydrates leaves no listener behind", async () => {
  // The first view is the edge's HTML; until the visitor reaches for it, the loader listens for
  // presses on its shadow root and for the reach on the element. An unmount takes them away.
  const page = await spaPage();
  await assertCyclesLeakNothing(page, () => mountCycle(page, "same"), 20);
  // Mounted once more and pressed (the module is cached by now, so the reach may hydrate it
  // before the press lands): one page of reviews is asked for, and no listener left by the
  // unmounted mounts marks a button busy.
  await page.evaluate(() => window.AllianceWidget.mount(document.getElementById("same"), { shop: "da-an-auto", locale: "en" }));
  const more = page.locator("#same").getByRole("button", { name: /more reviews/i });
  const asked = [];
  page.on("request", (r) => /\/reviews\?/.test(r.url()) && asked.push(r.url()));
  await more.click();
  await page.locator("#same .aw-review").nth(5).waitFor();
  await page.locator("#same .aw-review-list[aria-busy=false]").waitFor();
  await page.waitForTimeout(500);
  assert.equal(asked.length, 1, asked.join(" "));
  assert.equal(await page.locator("#same [aria-busy=true]").count(), 0);
  assert.deepEqual(page.jsErrors, []);
});

test("mount, hydrate and unmount twenty times: nodes and listeners return to their baseline", async () => {
  // Each time the visitor presses "More reviews" on the edge's first view: the press is a reach,
  // the module hydrates the nodes on screen and the press is replayed (the list grows). The
  // unmount must let go of the hydrated widget's reactive state and listeners.
  const page = await spaPage();
  const cycle = () =>
    page.evaluate(async () => {
      const until = async (f, what) => {
        const deadline = Date.now() + 30000;
        while (!f()) {
          if (Date.now() > deadline) throw new Error(`not ${what}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const el = document.createElement("div");
      document.getElementById("view").appendChild(el);
      window.AllianceWidget.mount(el, { shop: "da-an-auto", locale: "en" });
      await until(() => el.shadowRoot?.querySelector(".aw[aria-busy=false]"), "shown");
      [...el.shadowRoot.querySelectorAll("button")].find((b) => /more reviews/i.test(b.textContent)).click();
      await until(() => el.shadowRoot.querySelectorAll(".aw-review").length > 5 && el.shadowRoot.querySelector(".aw-review-list[aria-busy=false]"), "hydrated");
      window.AllianceWidget.unmount(el);
      el.remove();
    });
  await assertCyclesLeakNothing(page, cycle, 20);
});

test("loading the snippet twice does not duplicate the widget", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/two.html`);
  await new WidgetObject(page, "#first").settled();
  await page.evaluate((edge) => {
    const s = document.createElement("script");
    s.src = `${edge}/embed.js`;
    document.body.appendChild(s);
    return new Promise((r) => (s.onload = r));
  }, EDGE_URL);
  await page.waitForTimeout(500);

  const counts = await page.evaluate(() =>
    [...document.querySelectorAll("[data-alliance-shop]")].map((el) => el.shadowRoot.querySelectorAll(".aw").length),
  );
  assert.deepEqual(counts, [1, 1]);
});

test("opening and closing the booking flow ten times returns nodes and listeners to their baseline", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  // Clicked from the page itself: Playwright's own locators keep nodes of their own.
  const cycle = () =>
    page.evaluate(async () => {
      const root = document.querySelector("[data-alliance-shop]").shadowRoot;
      const until = async (f) => {
        while (!f()) await new Promise((r) => setTimeout(r, 20));
      };
      const button = (text) => [...root.querySelectorAll("button")].find((b) => b.textContent === text && b.offsetParent);
      root.querySelector(".aw-book").click();
      await until(() => button("關閉"));
      button("關閉").click();
      await until(() => button("預約時段"));
    });
  // The first opening loads the booking chunk.
  await assertCyclesLeakNothing(page, cycle, 10);
});

test("unmounting and mounting again while the module still loads gives one widget, not two", async () => {
  const page = await phonePage(browser);
  const release = await holdRequests(page, "**/widget_bg.wasm");
  await page.goto(`${HOST_URL}/spa.html`);
  await page.waitForFunction(() => window.AllianceWidget && window.AllianceWidget.mount);
  await page.evaluate(() => {
    const el = document.createElement("div");
    el.id = "twice";
    document.getElementById("view").appendChild(el);
    window.AllianceWidget.mount(el, { shop: "da-an-auto", locale: "en", view: "badge" });
    window.AllianceWidget.unmount(el);
    window.AllianceWidget.mount(el, { shop: "da-an-auto", locale: "en", view: "reviews" });
  });
  release();
  const widget = new WidgetObject(page, "#twice");
  await widget.settled();
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.getElementById("twice").shadowRoot.querySelectorAll(".aw").length), 1);
  assert.equal(await widget.host.locator(".aw-card").getAttribute("data-view"), "reviews", "the later mount's view");
  assert.deepEqual(page.jsErrors, []);
});

test("a placeholder the page unmounts before its scheduled mount stays empty; a later scan mounts it", async () => {
  const page = await spaPage();
  // What a mount needs (the first view and the stylesheet the scan asks for): once both are
  // here, a mount that was not cancelled would show within the idle wait below.
  const needed = Promise.all([
    page.waitForResponse((r) => r.url().includes("/first-view")),
    page.waitForResponse((r) => r.url().endsWith("/widget.css")),
  ]);
  // Far below the fold, so only the page's idle time (at the latest 3 s) would mount it.
  await page.evaluate(() => {
    const view = document.getElementById("view");
    view.appendChild(Object.assign(document.createElement("div"), { style: "height:5000px" }));
    const el = document.createElement("div");
    el.id = "gone";
    el.setAttribute("data-alliance-shop", "da-an-auto");
    view.appendChild(el);
    window.AllianceWidget.scan();
    window.AllianceWidget.unmount(el);
  });
  await needed;
  await page.waitForTimeout(4500);
  assert.equal(await page.evaluate(() => document.getElementById("gone").shadowRoot), null, "no widget after the unmount");
  // The page renders the route again: the next scan schedules a mount of its own.
  await page.evaluate(() => window.AllianceWidget.scan());
  await new WidgetObject(page, "#gone").settled();
  assert.deepEqual(page.jsErrors, []);
});
