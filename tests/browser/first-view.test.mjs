// The first view rendered at the edge: the HTML the edge sends is what the browser build renders
// for the same document, the wasm takes it over without a second render, a press made before
// that is replayed once, and every fallback (another build, Trusted Types, a page's strict CSP)
// is a slower first view, never a broken one.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, screenshot, serveOnce, WidgetObject, HOST_URL, EDGE_URL, admin, freshShop, inviteToken, holdRequests, axeViolations, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));

useBrowser();

/** A page with one widget (`attrs` on its placeholder) and the snippet, on its own origin. */
const snippet = (attrs = "", head = "") =>
  `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width"><title>t</title>${head}</head><body><div id=w ${attrs}></div><script src="${EDGE_URL}/embed.js" async></script></body></html>`;

/** Records when the widget's module has been instantiated (the hydration follows in the same
 * task's microtasks), so a test can wait for it without a timer. */
async function watchModule(page) {
  await page.addInitScript(() => {
    const real = WebAssembly.instantiate;
    window.__module = new Promise((ready) => {
      WebAssembly.instantiate = (...a) => real.apply(WebAssembly, a).then((r) => (setTimeout(ready, 0), r));
    });
  });
}

/** Waits until the module has been instantiated and the loader has had a task to hydrate. */
const moduleReady = (page) => page.evaluate(() => window.__module.then(() => new Promise((r) => setTimeout(r, 0))));

// In the page: a DOM subtree as a comparable tree (comments, which Leptos's SSR uses as
// markers, left out; adjacent text joined; attributes sorted). Leptos writes an empty text as
// one space, so that hydration finds a text node to claim: a text of one space is empty.
const CANON = `window.__canon = (root) => {
  const walk = (n) => {
    const kids = [];
    let text = null;
    for (const c of n.childNodes) {
      if (c.nodeType === 8) continue;
      if (c.nodeType === 3) { text = (text ?? "") + c.data; continue; }
      if (text !== null) { if (text && text !== " ") kids.push(text); text = null; }
      kids.push(walk(c));
    }
    if (text && text !== " ") kids.push(text);
    if (n.nodeType !== 1) return kids;
    const attrs = [...n.attributes].map((a) => [a.name, a.value]).sort();
    return [n.localName, attrs, kids];
  };
  return walk(root);
};`;

/**
 * In `page` (on the origin whose badge state is being checked): the edge's first view of `shop`
 * and what the browser build mounts client-side from the same document, both canonical.
 */
async function bothRenders(page, shop, locale, view) {
  return page.evaluate(
    async ({ shop, locale, view, edge }) => {
      const dir = `${edge}/w/${window.AllianceWidget.version.split("+")[1]}/`;
      window.__widget ??= import(dir + "widget.js").then(async (m) => (await m.default({ module_or_path: dir + "widget_bg.wasm" }), m));
      const m = await window.__widget;
      const doc = await (await fetch(`${edge}/v1/shops/${shop}/first-view?locale=${locale}&view=${view}`)).json();
      const t = document.createElement("template");
      t.innerHTML = doc.html;
      const host = document.body.appendChild(document.createElement("div"));
      const div = host.attachShadow({ mode: "open" }).appendChild(document.createElement("div"));
      const w = m.mount(div, { shop, locale, api: edge, view, open: false, prefill: {}, prefetch: Promise.resolve(doc) });
      for (let i = 0; i < 200 && !div.querySelector(".aw[aria-busy=false]"); i++) await new Promise((r) => setTimeout(r, 10));
      const out = { edge: JSON.stringify(window.__canon(t.content)), browser: JSON.stringify(window.__canon(div)[2]), badge: t.content.querySelector("[data-badge]")?.dataset.badge ?? null };
      w.unmount();
      host.remove();
      return out;
    },
    { shop, locale, view, edge: EDGE_URL },
  );
}

async function assertParity(page, shops, expectBadge) {
  await page.evaluate(CANON);
  await page.waitForFunction(() => window.AllianceWidget);
  let compared = 0;
  for (const shop of shops)
    for (const locale of ["zh-TW", "en"])
      for (const view of ["all", "badge", "reviews", "booking"]) {
        const r = await bothRenders(page, shop, locale, view);
        const what = `${shop} ${locale} ${view}`;
        assert.equal(r.edge, r.browser, `the edge's HTML is the browser's render: ${what}`);
        if (view === "all" || view === "badge") assert.equal(r.badge, expectBadge, `badge state: ${what}`);
        compared++;
      }
  assert.deepEqual(page.jsErrors, []);
  return compared;
}

test("parity: every demo shop × both languages × every view, verified and not verified, is the browser's render", async () => {
  const shops = demo.shops.map((s) => s.id);
  // On the shops' registered host site the badge is verified; on another origin it is not.
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/english.html`);
  assert.equal(await assertParity(page, shops, "verified"), shops.length * 8);
  const other = await serveOnce(snippet(`data-alliance-shop="da-an-auto"`), 18141);
  after(() => other.close());
  const elsewhere = await phonePage(browser);
  await elsewhere.goto(other.url);
  await assertParity(elsewhere, shops, "not-verified");
});

/** Two new members, one suspended and one revoked by the alliance admin. */
async function suspendedAndRevoked(prefix) {
  const suspended = await freshShop(`${prefix}-susp`, demo);
  const revoked = await freshShop(`${prefix}-rev`, demo);
  await admin("POST", `/v1/admin/shops/${suspended.id}/suspend`, { reason: "standards review pending" });
  await admin("POST", `/v1/admin/shops/${revoked.id}/revoke`, { reason: "failed the standards audit" });
  return { suspended, revoked };
}

test("parity: suspended and revoked members", async () => {
  const { suspended, revoked } = await suspendedAndRevoked("fv");
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/english.html`);
  await assertParity(page, [suspended.id], "suspended");
  await assertParity(page, [revoked.id], "revoked");
});

/**
 * In `page`: every view of `shops` in both languages as the loader shows it (the edge's HTML,
 * asked for from this origin, parsed into a shadow root with the build's stylesheet), then
 * hydrated by one module, as the widgets of one page are. A mismatch between the HTML and what
 * the module expects would stop that module (`panic = abort`) and every widget on the page.
 * Returns what went wrong, per widget, and the badge states seen.
 */
async function hydrateEvery(page, shops) {
  await page.waitForFunction(() => window.AllianceWidget);
  return page.evaluate(
    async ({ shops, edge }) => {
      const dir = `${edge}/w/${window.AllianceWidget.version.split("+")[1]}/`;
      window.__widget ??= import(dir + "widget.js").then(async (m) => (await m.default({ module_or_path: dir + "widget_bg.wasm" }), m));
      const m = await window.__widget;
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(await (await fetch(dir + "widget.css")).text());
      const wrong = [];
      const badges = new Set();
      let hydrated = 0;
      for (const shop of shops)
        for (const locale of ["zh-TW", "en"])
          for (const view of ["all", "badge", "reviews", "booking"]) {
            const what = `${shop} ${locale} ${view}`;
            const res = await fetch(`${edge}/v1/shops/${shop}/first-view?locale=${locale}&view=${view}`, { credentials: "include" });
            const doc = await res.json();
            const host = document.body.appendChild(document.createElement("div"));
            const root = host.attachShadow({ mode: "open" });
            root.adoptedStyleSheets = [sheet];
            const div = root.appendChild(document.createElement("div"));
            const t = document.createElement("template");
            t.innerHTML = doc.html;
            div.appendChild(t.content);
            const nodes = [];
            const walk = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
            while (walk.nextNode()) nodes.push(walk.currentNode);
            const changes = [];
            const observer = new MutationObserver((l) => changes.push(...l.filter((r) => r.type === "childList")));
            observer.observe(root, { childList: true, subtree: true });
            let widget;
            try {
              widget = m.hydrate(div, { shop, locale, api: edge, view, open: false, prefill: {}, data: doc.data });
            } catch (e) {
              wrong.push(`${what}: hydrate threw ${e}`);
              continue;
            }
            await new Promise((r) => setTimeout(r, 0));
            changes.push(...observer.takeRecords().filter((r) => r.type === "childList"));
            observer.disconnect();
            if (changes.length) wrong.push(`${what}: ${changes.length} nodes added or removed`);
            const gone = nodes.filter((n) => !n.isConnected).length;
            if (gone) wrong.push(`${what}: ${gone} of the edge's nodes gone`);
            if (!div.querySelector(".aw[aria-busy=false]")) wrong.push(`${what}: not shown as ready`);
            const badge = div.querySelector("[data-badge]")?.dataset.badge;
            if (badge) badges.add(badge);
            widget.unmount();
            host.remove();
            hydrated++;
          }
      return { wrong, badges: [...badges].sort(), hydrated };
    },
    { shops, edge: EDGE_URL },
  );
}

test("hydration in every case: every demo shop × both languages × every view, verified, not verified, suspended, revoked and without reviews", async () => {
  const shops = demo.shops.map((s) => s.id);
  const fresh = await freshShop("fv-hyd", demo);
  const { suspended, revoked } = await suspendedAndRevoked("fv-hyd");
  // On the shops' registered host site the badge is verified; on another origin it is not.
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/english.html`);
  const here = await hydrateEvery(page, [...shops, fresh.id, suspended.id, revoked.id]);
  assert.deepEqual(here.wrong, []);
  assert.equal(here.hydrated, (shops.length + 3) * 8);
  assert.deepEqual(here.badges, ["revoked", "suspended", "verified"]);
  const other = await serveOnce(snippet(`data-alliance-shop="da-an-auto"`), 18149);
  const elsewhere = await phonePage(browser);
  await elsewhere.goto(other.url);
  const there = await hydrateEvery(elsewhere, shops).finally(() => other.close());
  assert.deepEqual(there.wrong, []);
  assert.deepEqual(there.badges, ["not-verified"]);
  assert.deepEqual(page.jsErrors, []);
  assert.deepEqual(elsewhere.jsErrors, []);
});

test("the first view and its stylesheet come on the connections the snippet's script and image came on", async () => {
  // A browser keeps requests made without credentials off the connections of those made with
  // them (the snippet's <script> and <img>): each such request would wait for a handshake of its
  // own on a real network. Connection ids as Chromium reports them (HTTP/1.1 here, so two
  // requests at once take two connections; the script's and the image's are free by then).
  const page = await phonePage(browser);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const seen = [];
  cdp.on("Network.responseReceived", ({ response: r }) => {
    if (r.url.startsWith(EDGE_URL)) seen.push({ path: new URL(r.url).pathname.replace(/^\/w\/[^/]+\//, "/w/BUILD/"), connection: r.connectionId });
  });
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  await new WidgetObject(page).settled();
  const by = (f) => seen.filter((r) => f(r.path)).map((r) => r.connection);
  const snippet = new Set(by((p) => p === "/embed.js" || p.startsWith("/badge/")));
  const firstView = by((p) => p.endsWith("/first-view")), sheet = by((p) => p === "/w/BUILD/widget.css");
  assert.equal(firstView.length, 1, JSON.stringify(seen));
  assert.equal(sheet.length, 1, JSON.stringify(seen));
  for (const c of [...firstView, ...sheet]) assert.ok(snippet.has(c), `a connection of its own: ${JSON.stringify(seen)}`);
  await page.context().close();
});

test("hydration: no node replaced, nothing moves, no error; a press before it is replayed once", async () => {
  const page = await phonePage(browser, { locale: "en-US" });
  await watchModule(page);
  const release = await holdRequests(page, "**/widget_bg.wasm");
  const pages = [];
  page.on("request", (r) => new URL(r.url()).pathname.endsWith("/reviews") && pages.push(r.url()));
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  const items = widget.host.locator(".aw-review");
  assert.equal(await items.count(), 5);
  await screenshot(page, "first-view-edge-360");

  // Every node on screen now, and every change to the tree from here on.
  await page.evaluate(() => {
    const root = document.querySelector("[data-alliance-shop]").shadowRoot;
    const w = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
    window.__nodes = [];
    while (w.nextNode()) window.__nodes.push(w.currentNode);
    window.__changes = [];
    window.__observer = new MutationObserver((l) => l.forEach((m) => m.type === "childList" && window.__changes.push(m)));
    window.__observer.observe(root, { childList: true, subtree: true });
    // Where it is on the page (the click below scrolls the page to the button).
    window.__place = (el) => {
      const r = el.getBoundingClientRect();
      return JSON.stringify([r.x + scrollX, r.y + scrollY, r.width, r.height]);
    };
    window.__box = window.__place(root.host);
    window.__label = [...[...root.querySelectorAll("button")].find((b) => b.textContent.includes("更多評價")).childNodes];
  });
  // A press on "More reviews" while the module is still on its way: shown as busy.
  const more = widget.host.getByRole("button", { name: "更多評價" });
  await more.click();
  assert.equal(await more.getAttribute("aria-busy"), "true");
  const before = await page.evaluate(() => ({ changes: window.__changes.length, box: window.__box }));
  assert.equal(before.changes, 0, "nothing changed before hydration");

  // From here on every click the button gets (the loader's replay, and any second one).
  await page.evaluate(() => {
    const root = document.querySelector("[data-alliance-shop]").shadowRoot;
    const button = [...root.querySelectorAll("button")].find((b) => b.textContent.includes("更多評價"));
    window.__replays = 0;
    button.addEventListener("click", () => window.__replays++, { capture: true });
  });
  // The page of reviews the replayed press asks for is held until hydration has been checked
  // (the local edge can answer it before the module reports ready).
  const releaseReviews = await holdRequests(page, (url) => url.pathname.endsWith("/reviews"));
  release();
  await moduleReady(page);
  const hydration = await page.evaluate(() => {
    // Changes up to now are the hydration's (the replayed press only starts a request).
    const changes = window.__changes.map((m) => `${m.target.nodeName}: -${m.removedNodes.length} +${m.addedNodes.length}`);
    const root = document.querySelector("[data-alliance-shop]").shadowRoot;
    return {
      changes,
      gone: window.__nodes.filter((n) => !n.isConnected || n.getRootNode() !== root).length,
      box: window.__place(root.host),
    };
  });
  assert.deepEqual(hydration.changes, [], "no node added or removed by hydration");
  assert.equal(hydration.gone, 0, "every node captured before hydration is still in place");
  assert.equal(hydration.box, before.box, "the widget did not move or resize");
  releaseReviews();

  // The press made before it ran exactly once: one more page of reviews asked for, not two.
  await widget.host.locator(".aw-review").nth(5).waitFor();
  await widget.host.locator(".aw-review-list[aria-busy=false]").waitFor();
  await page.waitForTimeout(500);
  assert.equal(pages.length, 1, `one page more: ${pages}`);
  assert.equal(await page.evaluate(() => window.__replays), 1, "the press was replayed once");
  assert.ok((await items.count()) > 5);
  // Later tasks (effects, the replayed press) did not replace the first view's nodes either.
  const later = await page.evaluate(() => {
    const root = document.querySelector("[data-alliance-shop]").shadowRoot;
    const list = root.querySelector(".aw-review-list");
    // The page of reviews the press asked for is added to the list; nothing is taken away.
    const name = (n) => (n.nodeType === 1 ? `${n.nodeName}.${n.className}` : `${n.nodeName} ${JSON.stringify(n.textContent)}`);
    // The press's own changes are the list's new page and the button's label ("loading", then
    // back); everything else stays the edge's node.
    const button = [...root.querySelectorAll("button")].find((b) => b.textContent.includes("更多評價"));
    const removed = window.__changes
      .filter((m) => m.removedNodes.length && m.target !== list && m.target !== button)
      .map((m) => `${name(m.target)}: -${[...m.removedNodes].map(name)} +${[...m.addedNodes].map(name)}`);
    const gone = window.__nodes.filter((n) => (!n.isConnected || n.getRootNode() !== root) && !window.__label.includes(n)).map((n) => `${name(n)} in ${name(n.parentNode ?? n)}`);
    return { removed, gone };
  });
  assert.deepEqual(later, { removed: [], gone: [] });
  assert.equal(await more.getAttribute("aria-busy"), null);
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(page.jsErrors, []);
});

/** The demo shop's page on a phone showing the edge's first view, its module held back until
 * `release()`. */
async function beforeHydration() {
  const page = await phonePage(browser);
  await watchModule(page);
  const release = await holdRequests(page, "**/widget_bg.wasm");
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  return { page, release, widget };
}

test("a choice made in a select before hydration is applied once the module takes over", async () => {
  const { page, release, widget } = await beforeHydration();
  const lowest = Math.min(...demo.reviews.filter((r) => r.shop === "da-an-auto").map((r) => r.stars));
  const first = () => widget.host.locator(".aw-review [role=img]").first().getAttribute("aria-label");
  assert.notEqual(await first(), `${lowest} 顆星（滿分 5 顆）`, "the newest review is not the lowest rated");
  // The visitor taps the select (reaching for the widget: the module is asked for) and picks
  // "lowest" before it has come.
  const order = widget.host.getByLabel("排序");
  await order.click();
  await order.selectOption("lowest");
  assert.equal(await order.inputValue(), "lowest");
  release();
  await moduleReady(page);
  await page.waitForFunction(
    (label) => document.querySelector("[data-alliance-shop]").shadowRoot.querySelector(".aw-review [role=img]")?.getAttribute("aria-label") === label,
    `${lowest} 顆星（滿分 5 顆）`,
  );
  await widget.host.locator(".aw-review-list[aria-busy=false]").waitFor();
  assert.equal(await order.inputValue(), "lowest", "the select still shows the visitor's choice");
  assert.deepEqual(page.jsErrors, []);
});

test("after hydration sort, filter, more reviews, book, the verify link and the popup work", async () => {
  const page = await phonePage(browser);
  await watchModule(page);
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  // The edge's nodes, to show below that these are the hydrated first view, not a client mount.
  await page.evaluate(() => {
    const root = document.querySelector("[data-alliance-shop]").shadowRoot;
    window.__edgeNodes = [root.querySelector(".aw"), root.querySelector(".aw-rating"), root.querySelector(".aw-review-list")];
  });
  await widget.host.locator(".aw").hover();
  await moduleReady(page);

  await widget.host.getByLabel("排序").selectOption("lowest");
  await widget.host.locator(".aw-review-list[aria-busy=false]").waitFor();
  const lowest = Math.min(...demo.reviews.filter((r) => r.shop === "da-an-auto").map((r) => r.stars));
  await page.waitForFunction(
    (label) => document.querySelector("[data-alliance-shop]").shadowRoot.querySelector(".aw-review [role=img]")?.getAttribute("aria-label") === label,
    `${lowest} 顆星（滿分 5 顆）`,
  );
  await widget.host.getByLabel("服務項目").selectOption("tires");
  await widget.host.locator(".aw-review-list[aria-busy=false]").waitFor();
  await page.waitForFunction(() => [...document.querySelector("[data-alliance-shop]").shadowRoot.querySelectorAll(".aw-review-meta")].every((m) => m.textContent.startsWith("輪胎更換")));
  await widget.host.getByLabel("服務項目").selectOption("");
  const more = widget.host.getByRole("button", { name: "更多評價" });
  await more.click();
  await widget.host.locator(".aw-review").nth(5).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__edgeNodes.map((n) => n.isConnected)), [true, true, true], "the hydrated first view did all this");

  const verify = widget.host.getByRole("link", { name: /查證會員資格/ });
  assert.equal(await verify.getAttribute("href"), `${EDGE_URL}/verify/da-an-auto`);
  // Followed, it opens the alliance's own page about this member, in a new tab.
  const [tab] = await Promise.all([page.context().waitForEvent("page"), verify.click()]);
  await tab.waitForLoadState();
  assert.equal(tab.url(), `${EDGE_URL}/verify/da-an-auto`);
  assert.match(await tab.title(), /大安汽車保養廠 · 會員驗證/);
  await tab.close();

  await widget.host.getByRole("button", { name: "預約時段" }).click();
  await widget.host.getByRole("button", { name: "下一步" }).waitFor();

  // The popup on the same page mounts its own widget (client-side: it opens on the booking step).
  await page.evaluate(() => window.AllianceWidget.open(document.querySelector("[data-alliance-shop]")));
  await page.locator("dialog .aw[aria-busy=false]").waitFor();
  assert.deepEqual(page.jsErrors, []);
  await screenshot(page, "first-view-hydrated-360");
});

test("strict CSP as the README documents it: no violation, and the star widths are right before and after hydration", async () => {
  const page = await phonePage(browser);
  await watchModule(page);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
  });
  const release = await holdRequests(page, "**/widget_bg.wasm");
  await page.goto(`${HOST_URL}/csp.html?shop=da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  const widths = () =>
    widget.host.locator(".aw-stars").first().evaluate((el) => {
      const full = el.querySelector(".aw-stars-full").getBoundingClientRect().width;
      return Math.round((full / el.getBoundingClientRect().width) * 100);
    });
  const average = demo.reviews.filter((r) => r.shop === "da-an-auto").reduce((a, r, _, all) => a + r.stars / all.length, 0);
  const expected = Math.round((average / 5) * 100);
  const early = await widths();
  assert.ok(Math.abs(early - expected) <= 1, `before hydration: ${early}% of the stars for ${average}`);
  release();
  await widget.host.locator(".aw").hover();
  await moduleReady(page);
  assert.equal(await widths(), early, "after hydration");
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(page.jsErrors, []);
});

test("Trusted Types: the widget's policy allowed shows the first view; not allowed, a link; never an error", async () => {
  const tt = (policies) => `<meta http-equiv="Content-Security-Policy" content="require-trusted-types-for 'script'; trusted-types ${policies}">`;
  const allowed = await serveOnce(snippet(`data-alliance-shop="da-an-auto"`, tt("alliance-widget")), 18142);
  const refused = await serveOnce(snippet(`data-alliance-shop="da-an-auto"`, tt("'none'")), 18143);
  after(() => (allowed.close(), refused.close()));

  const page = await phonePage(browser);
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(allowed.url);
  const widget = new WidgetObject(page);
  await widget.settled();
  assert.equal(await widget.shopName().textContent(), "Da'an Auto Care");
  assert.equal(await widget.badge().getAttribute("data-badge"), "not-verified");
  // Never hydrated there: a button opens the member's page, the selects are off.
  assert.equal(await widget.host.locator("select").first().isDisabled(), true);
  const [popup] = await Promise.all([page.waitForEvent("popup"), widget.host.getByRole("button", { name: "Book a visit" }).click()]);
  assert.equal(popup.url(), `${EDGE_URL}/shops/da-an-auto`);
  await screenshot(page, "first-view-trusted-types-360");

  const page2 = await phonePage(browser);
  const errors2 = [];
  page2.on("console", (m) => m.type() === "error" && errors2.push(m.text()));
  await page2.goto(refused.url);
  const link = page2.locator("#w").getByRole("link", { name: "Reviews and booking on the alliance's site" });
  await link.waitFor();
  assert.equal(await link.getAttribute("href"), `${EDGE_URL}/shops/da-an-auto`);
  // The console holds only the pages' own refusals, as Chromium reports them: the loader's
  // probe for enforcement (one string assigned to a template, before any policy), and on the
  // second page the policy the page does not allow. Nothing else: no failed sink, no script error.
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0], /TrustedHTML/);
  assert.equal(errors2.length, 2, errors2.join("\n"));
  assert.match(errors2[0], /TrustedHTML/);
  assert.match(errors2[1], /TrustedTypePolicy named 'alliance-widget'/);
  assert.deepEqual([...page.jsErrors, ...page2.jsErrors], []);
});

test("hostile shop, service and review text shows literally through the edge's HTML", async () => {
  // Comment and script enders, an element, quotes and an attribute breaker (names allow 80).
  const hostile = `--><!--</script><img src=x onerror=__xss=1>"' x="`;
  const longer = `${hostile} </script><script>__xss=2</script> " onmouseover="__xss=3"`;
  const base = demo.shops[0];
  const shop = await freshShop("fv-xss", demo, {}, {
    name: { "zh-TW": `大安${hostile}`, en: `Da'an ${hostile}` },
    city: { "zh-TW": `<b>台北</b>${hostile}`, en: `<b>Taipei</b>` },
    services: base.services.map((s, i) => (i ? s : { ...s, name: { "zh-TW": `機油${hostile}`, en: `Oil ${hostile}` } })),
  });
  const token = await inviteToken(shop, "XSS-FV-1");
  const posted = await fetch(`${EDGE_URL}/v1/shops/${shop.id}/reviews`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: HOST_URL },
    body: JSON.stringify({ token, stars: 4, text: `Good work. ${longer}`, service: "oil", author: `Eve "><b>x</b>`, language: "en" }),
  });
  assert.ok(posted.ok, `review posted: ${posted.status} ${await posted.text()}`);
  const page = await phonePage(browser, { locale: "en-US" });
  const wasm = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  await page.route("**/*.wasm", (r) => r.abort());
  await page.goto(`${HOST_URL}/shop/${shop.id}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.host.locator(".aw-review").first().waitFor();
  // The shop page is in zh-TW.
  assert.equal(await widget.shopName().textContent(), `大安${hostile}`);
  assert.equal(await widget.host.locator(".aw-review .aw-text").first().textContent(), `Good work. ${longer}`);
  assert.ok((await widget.host.locator(".aw-review-meta").first().textContent()).startsWith(`機油${hostile}`));
  assert.equal(await widget.host.locator(".aw-city").textContent(), `<b>台北</b>${hostile}`);
  assert.equal(await widget.host.locator("script, b, img[src=x], [onerror], [onmouseover]").count(), 0, "no element from the text");
  await widget.host.locator(".aw-review").first().hover();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(page.jsErrors, []);
  await screenshot(page, "first-view-xss-360");
});

test("version skew: an edge of another build makes three widgets on a page mount client-side, cleanly", async () => {
  const page = await phonePage(browser);
  // The edge answers as another build would: its HTML must not be shown by this loader.
  await page.route("**/first-view*", async (route) => {
    const r = await route.fetch();
    const doc = await r.json();
    await route.fulfill({ response: r, json: { ...doc, build: "another-build", html: `<p id="stale">stale</p>` } });
  });
  await page.goto(`${HOST_URL}/two.html`);
  const hosts = await page.locator("[data-alliance-shop]").count();
  assert.ok(hosts >= 2);
  for (let i = 0; i < hosts; i++) await new WidgetObject(page, `[data-alliance-shop] >> nth=${i}`).settled();
  assert.equal(await page.locator("#stale").count(), 0);
  const three = await serveOnce(
    `<!doctype html><html lang="en"><meta name="viewport" content="width=device-width"><title>t</title>` +
      ["da-an-auto", "xinyi-ev", "tamsui-new"].map((s) => `<div data-alliance-shop="${s}"></div>`).join("") +
      `<script src="${EDGE_URL}/embed.js" async></script></html>`,
    18144,
  );
  after(() => three.close());
  await page.goto(three.url);
  for (let i = 0; i < 3; i++) await new WidgetObject(page, `[data-alliance-shop] >> nth=${i}`).settled();
  assert.equal(await page.locator("#stale").count(), 0);
  // Client-side from the start: the booking button works without a reach first.
  await new WidgetObject(page, `[data-alliance-shop] >> nth=1`).host.getByRole("button", { name: "Book a visit" }).click();
  await page.locator("[data-alliance-shop]").nth(1).getByRole("button", { name: "Next" }).waitFor();
  assert.deepEqual(page.jsErrors, []);
});

test("axe: no violation before and after hydration", async () => {
  const { page, release, widget } = await beforeHydration();
  assert.deepEqual(await axeViolations(page), [], "before hydration");
  release();
  await widget.host.locator(".aw").hover();
  await moduleReady(page);
  assert.deepEqual(await axeViolations(page), [], "after hydration");
});

for (const [label, connection] of [["Save-Data", { saveData: true, effectiveType: "4g" }], ["a 3g connection", { saveData: false, effectiveType: "3g" }]]) {
  test(`with ${label} a visitor who only looks downloads the first view, not the module`, async () => {
    const page = await phonePage(browser);
    await page.addInitScript((c) => Object.defineProperty(Navigator.prototype, "connection", { get: () => c }), connection);
    const asked = [];
    page.on("request", (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${HOST_URL}/shop/da-an-auto`);
    const widget = new WidgetObject(page);
    await widget.settled();
    await page.waitForTimeout(4000);
    const ours = asked.filter((p) => p === "/embed.js" || p.startsWith("/w/") || p.startsWith("/v1/"));
    assert.deepEqual(ours.map((p) => p.replace(/\/w\/[^/]+\//, "/w/BUILD/")).sort(), ["/embed.js", "/v1/shops/da-an-auto/first-view", "/w/BUILD/widget.css"]);
  });
}

/**
 * The demo shop's page on a phone whose browser asks to save data (so nothing is fetched ahead
 * and the module's request shows the moment of the reach), the first view shown and the page
 * left alone for a moment; `modules` collects the module's requests. `init` runs in the page
 * before its scripts.
 */
async function saveDataPage(init = () => {}) {
  const page = await phonePage(browser, { hasTouch: true, isMobile: true });
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "connection", { get: () => ({ saveData: true, effectiveType: "4g" }) }));
  await page.addInitScript(init);
  await watchModule(page);
  const modules = [];
  page.on("request", (r) => r.url().endsWith("/widget_bg.wasm") && modules.push(r.url()));
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await page.waitForTimeout(1500);
  return { page, widget, modules };
}

for (const [how, reach] of [
  ["a tap on the card", async (page, widget) => widget.host.locator(".aw-rating").first().tap()],
  ["focus moved in from the keyboard", async (page) => {
    await page.locator("body").focus();
    for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.hasAttribute("data-alliance-shop"))); i++) await page.keyboard.press("Tab");
  }],
]) {
  test(`the module comes when the visitor reaches for the widget: ${how}`, async () => {
    const { page, widget, modules } = await saveDataPage();
    assert.equal(modules.length, 0, "not before the reach");
    await reach(page, widget);
    await moduleReady(page);
    assert.equal(modules.length, 1);
    // And the widget works: "More reviews" loads the next page.
    await widget.host.getByRole("button", { name: "更多評價" }).click();
    await widget.host.locator(".aw-review").nth(5).waitFor();
    assert.deepEqual(page.jsErrors, []);
  });
}

test("scrolling the widget's controls into view brings the module; their first sighting does not", async () => {
  const { page, widget, modules } = await saveDataPage(() => {
    // Any pointer or focus event on the widget (which would be a reach of its own).
    window.__pointed = 0;
    for (const t of ["pointerover", "pointerdown", "focusin", "click"])
      addEventListener(t, (e) => e.composedPath().some((n) => n.hasAttribute?.("data-alliance-shop")) && window.__pointed++, true);
  });
  // The booking button is on screen from the start: seeing it is looking, not reaching.
  assert.ok(await widget.host.locator(".aw-book").isVisible());
  assert.equal(modules.length, 0, "not for what was on screen from the start");
  // The visitor scrolls down to the reviews' sort and filter.
  const order = widget.host.getByLabel("排序");
  assert.ok(!(await order.evaluate((s) => s.getBoundingClientRect().top < innerHeight)), "below the first screen");
  await order.evaluate((s) => s.scrollIntoView({ block: "center" }));
  await moduleReady(page);
  assert.equal(modules.length, 1);
  assert.equal(await page.evaluate(() => window.__pointed), 0, "brought by the scroll, not by a pointer or focus");
  assert.deepEqual(page.jsErrors, []);
});
