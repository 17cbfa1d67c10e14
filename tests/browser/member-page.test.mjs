// The alliance's hosted member pages, as a customer on a phone meets them from a Google or LINE
// link or the QR code at the counter: readable without JavaScript, the widget's booking on the
// page (its badge verified: the alliance's own origin), a counter card whose QR codes decode to
// the exact URLs, and a walk-in customer reviewing their visit with the code on the receipt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, screenshot, axeViolations, overflowX, WidgetObject, ReviewFormObject, EDGE_URL, admin, freshShop, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));
const jsQR = readFileSync(new URL("../../node_modules/jsqr/dist/jsQR.js", import.meta.url), "utf8");

useBrowser();

for (const [lang, query, heading, bookLabel] of [
  ["zh-TW", "", demo.shops[0].name["zh-TW"], "預約"],
  ["en", "?lang=en", demo.shops[0].name.en, "Book"],
]) {
  test(`a member's page in ${lang} reads without JavaScript and fits 320 px`, async () => {
    const page = await phonePage(browser, { viewport: { width: 320, height: 700 }, javaScriptEnabled: false });
    const res = await page.goto(`${EDGE_URL}/shops/${demo.shops[0].id}${query}`);
    assert.equal(res.status(), 200);
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), heading);
    assert.match(await page.locator("[data-badge=verified]").textContent(), lang === "en" ? /Verified member/ : /驗證會員/);
    assert.match(await page.locator(".rating").textContent(), /★ \d\.\d/);
    assert.ok((await page.locator("article.review").count()) > 0, "first reviews shown");
    assert.equal(await page.locator("a[href^='tel:']").count(), 1);
    assert.equal(await page.locator("table.opening tr.today").count(), 1, "today's hours are highlighted");
    assert.ok((await page.locator("ul.services li").count()) >= demo.shops[0].services.length);
    assert.equal(await page.getByRole("heading", { level: 2, name: bookLabel, exact: true }).count(), 1);
    assert.equal(await overflowX(page), 0, "no sideways scroll at 320 px");
    // Sharing and search: canonical, hreflang both ways, Open Graph, AutoRepair JSON-LD.
    const canonical = await page.locator("link[rel=canonical]").getAttribute("href");
    assert.equal(canonical, `${EDGE_URL}/shops/${demo.shops[0].id}${query}`);
    assert.equal(await page.locator("link[rel=alternate][hreflang]").count(), 3);
    assert.match(await page.locator("meta[property='og:description']").getAttribute("content"), /★/);
    const ld = JSON.parse(await page.locator("script[type='application/ld+json']").textContent());
    assert.equal(ld["@type"], "AutoRepair");
    assert.equal(ld.telephone, demo.shops[0].phone);
    assert.equal(ld.address["@type"], "PostalAddress");
    assert.equal(ld.geo["@type"], "GeoCoordinates");
    assert.ok(ld.openingHoursSpecification.length >= 5);
    assert.equal(ld.aggregateRating, undefined, "no self-serving review markup (DESIGN.md)");
    await page.context().close();
  });

  test(`the page's booking is the widget, verified on the alliance's origin (${lang}, 360 px, axe)`, async () => {
    const page = await phonePage(browser);
    await page.goto(`${EDGE_URL}/shops/${demo.shops[0].id}${query}`);
    const widget = new WidgetObject(page);
    await widget.settled();
    assert.equal(await widget.host.getByRole("button", { name: lang === "en" ? "Book a visit" : "預約時段" }).count(), 1);
    // What the widget is told on this page: the alliance's own origin is the member's site.
    const badge = await page.evaluate(async (id) => (await (await fetch(`/v1/shops/${id}/widget`)).json()).membership.badge, demo.shops[0].id);
    assert.equal(badge, "verified");
    assert.deepEqual(page.jsErrors, []);
    assert.deepEqual(await axeViolations(page), [], "axe on the member page");
    await screenshot(page, `member-page-${lang}-360`);
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.equal(await overflowX(page), 0, "works at 1280 px");
    await page.context().close();
  });
}

test("the counter card's QR codes decode to the exact page and review URLs", async () => {
  const id = demo.shops[0].id;
  const page = await phonePage(browser);
  await page.goto(`${EDGE_URL}/shops/${id}/card?lang=en`);
  assert.deepEqual(await axeViolations(page), [], "axe on the counter card");
  await screenshot(page, "counter-card-en-360");
  const svgs = await page.locator("svg.qr").evaluateAll((els) => els.map((e) => e.outerHTML));
  assert.equal(svgs.length, 2);
  // Decoded from pixels, as a phone's camera would: each SVG drawn on a canvas, read by jsQR.
  const decoder = await browser.newPage();
  await decoder.setContent("<canvas></canvas>");
  await decoder.addScriptTag({ content: jsQR });
  const decoded = [];
  for (const svg of svgs) {
    decoded.push(await decoder.evaluate(async (markup) => {
      const img = new Image();
      img.src = "data:image/svg+xml," + encodeURIComponent(markup.replace(/ width="\d+" height="\d+"/, ' width="400" height="400"'));
      await img.decode();
      const c = document.querySelector("canvas");
      c.width = 400; c.height = 400;
      const g = c.getContext("2d");
      g.fillStyle = "#fff"; g.fillRect(0, 0, 400, 400);
      g.drawImage(img, 0, 0, 400, 400);
      return window.jsQR(g.getImageData(0, 0, 400, 400).data, 400, 400)?.data ?? null;
    }, svg));
  }
  assert.deepEqual(decoded, [`${EDGE_URL}/shops/${id}?lang=en`, `${EDGE_URL}/shops/${id}/review?lang=en`]);
  await decoder.close();
  await page.context().close();
});

test("a walk-in customer enters the code from the receipt and reviews that visit once", async () => {
  const shop = await freshShop("walkin", demo);
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Taipei" });
  const res = await fetch(`${EDGE_URL}/v1/shop/invites`, {
    method: "POST",
    headers: { authorization: `Bearer ${shop.key}`, "content-type": "application/json" },
    body: JSON.stringify({ work_order: "WO-881", visit_date: today, service: "brakes" }),
  });
  assert.equal(res.status, 201);
  const { code } = await res.json();
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  const page = await phonePage(browser);
  await page.goto(`${EDGE_URL}/shops/${shop.id}/review`);
  // A code that is no visit's: refused next to the field, nothing opened.
  await page.getByLabel("評價代碼").fill("ZZZZ-ZZZZ");
  await page.getByRole("button", { name: "開始評價" }).click();
  assert.match(await page.locator("#code-error").textContent(), /沒有這個評價代碼/);
  assert.equal(await page.getByLabel("評價代碼").getAttribute("aria-invalid"), "true");
  assert.deepEqual(await axeViolations(page), [], "axe on the review-code form with its error");
  assert.equal(await overflowX(page), 0);
  await screenshot(page, "review-code-error-360");

  await page.getByLabel("評價代碼").fill(code.toLowerCase());
  await page.getByRole("button", { name: "開始評價" }).click();
  await page.waitForURL(new RegExp(`/shops/${shop.id}/review\\?form=1`));
  const widget = new WidgetObject(page);
  const form = new ReviewFormObject(widget);
  await form.root.waitFor({ timeout: 20000 });
  assert.doesNotMatch(page.url(), /review=/, "the token left the address bar");
  // The service comes from the recorded visit, not the form.
  assert.equal(await form.root.locator("#aw-service").inputValue(), "brakes");
  await form.fill({ stars: 5, text: "現場來換來令片，師傅很仔細。", author: "Walk-in W." });
  await form.submit();
  await widget.host.locator(".aw-thanks").waitFor({ timeout: 15000 }).catch(async (e) => {
    await screenshot(page, "review-code-failed-360");
    throw e;
  });
  assert.match(await widget.host.locator(".aw-thanks").textContent(), /謝謝您/);
  await screenshot(page, "review-code-published-360");
  await page.context().close();

  // The same code again: the visit has its review.
  const again = await fetch(`${EDGE_URL}/shops/${shop.id}/review?code=${code}&lang=en`, { redirect: "manual" });
  assert.equal(again.status, 409);
  assert.match(await again.text(), /already been reviewed/);
  const reviews = await (await fetch(`${EDGE_URL}/v1/shops/${shop.id}/reviews`)).json();
  assert.equal(reviews.reviews.length, 1);
  assert.equal(reviews.reviews[0].content.provenance, "invited");
  await admin("POST", `/v1/admin/shops/${shop.id}/revoke`, { reason: "test over" }).catch(() => {});
});
