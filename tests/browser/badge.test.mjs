// The membership badge as a customer sees it: verified only on the shop's own site, an
// unmistakable "not verified" state elsewhere, revocation shown on the next load, and a
// no-JavaScript fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, screenshot, WidgetObject, HOST_URL, EDGE_URL, admin, serveOnce, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));

useBrowser();

test("on the shop's registered origin the badge is verified", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/banqiao-garage`);
  const widget = new WidgetObject(page);

  await widget.settled();

  assert.equal(await widget.badge().getAttribute("data-badge"), "verified");
  assert.match(await widget.badge().textContent(), /2020 年起的認證會員/);
  const link = widget.host.getByRole("link", { name: /查證會員資格/ });
  assert.equal(await link.getAttribute("href"), `${EDGE_URL}/verify/banqiao-garage`);
  await widget.host.locator("summary").click();
  assert.match(await widget.host.locator(".aw-standards ul").textContent(), /書面估價/);
  await screenshot(page, "badge-verified-360");
});

test("the same snippet on an origin not in the list says it is not verified there", async () => {
  const copycat = await serveOnce(
    `<!doctype html><html lang="en"><meta name="viewport" content="width=device-width">
     <div data-alliance-shop="banqiao-garage"></div><script src="${EDGE_URL}/embed.js" async></script>`,
    18099,
  );
  try {
    const page = await phonePage(browser);
    await page.goto(copycat.url);
    const widget = new WidgetObject(page);

    await widget.settled();

    assert.equal(await widget.badge().getAttribute("data-badge"), "not-verified");
    assert.match(await widget.badge().textContent(), /This badge is not verified on this site/);
    assert.doesNotMatch(await widget.badge().textContent(), /Verified member/);
    await screenshot(page, "badge-not-verified-360");
  } finally {
    copycat.close();
  }
});

test("after a revocation through the admin API a reload shows revoked", async () => {
  const id = `revoke-${Date.now() % 100000}`;
  const shop = structuredClone(demo.shops[0]);
  shop.id = id;
  shop.membership.allowed_origins = [HOST_URL];
  await admin("POST", "/v1/admin/shops", shop);
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/${id}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  assert.equal(await widget.badge().getAttribute("data-badge"), "verified");

  await admin("POST", `/v1/admin/shops/${id}/revoke`, { reason: "failed the standards audit" });
  await page.reload();
  await widget.settled();

  assert.equal(await widget.badge().getAttribute("data-badge"), "revoked");
  assert.match(await widget.badge().textContent(), /已不是聯盟會員/);
  await screenshot(page, "badge-revoked-360");
});

test("without JavaScript the snippet shows the SVG badge linking to the verification page", async () => {
  const page = await phonePage(browser, { javaScriptEnabled: false });

  await page.goto(`${HOST_URL}/shop/da-an-auto`);

  const img = page.getByRole("img", { name: /Alliance membership badge/ });
  await img.waitFor();
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), "the SVG badge loaded");
  assert.equal(await page.getByRole("link").filter({ has: img }).getAttribute("href"), `${EDGE_URL}/verify/da-an-auto`);
  await screenshot(page, "no-javascript-360");
});
