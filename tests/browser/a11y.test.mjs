// axe-core (WCAG 2.0–2.2 A and AA rules) finds no violation in the widget's states, in both
// languages and both themes. axe looks inside open shadow roots.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, WidgetObject, HOST_URL, EDGE_URL, freshShop, inviteToken, bookViaApi, serveOnce, axeViolations, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));

useBrowser();

const violations = axeViolations;

for (const [label, path, scheme] of [
  ["first view, zh-TW, light", "/shop/da-an-auto", "light"],
  ["first view, en, light", "/english.html", "light"],
  ["first view, both themes on one page, dark system", "/themes.html", "dark"],
  ["unknown and malformed shops", "/unknown.html", "light"],
]) {
  test(`axe: ${label}`, async () => {
    const page = await phonePage(browser, { colorScheme: scheme });
    await page.goto(`${HOST_URL}${path}`);
    await new WidgetObject(page).settled();
    assert.deepEqual(await violations(page), []);
  });
}

for (const [label, page_, names] of [
  ["zh-TW, light", "/shop/", { book: "預約時段", next: "下一步", confirm: "確認預約" }],
  ["en, dark", "/dark-en.html?shop=", { book: "Book a visit", next: "Next", confirm: "Confirm booking" }],
]) {
  test(`axe: every booking step, field errors and the confirmation (${label})`, async () => {
    const shop = await freshShop("a11y", demo, { cancel_cutoff_hours: 1 });
    const page = await phonePage(browser);
    await page.goto(`${HOST_URL}${page_}${shop.id}`);
    const w = new WidgetObject(page);
    await w.settled();
    await w.host.getByRole("button", { name: names.book }).click();
    assert.deepEqual(await violations(page), [], "service step");
    await w.host.getByRole("button", { name: names.next }).click();
    await w.host.locator(".aw-time:not([disabled])").first().waitFor();
    assert.deepEqual(await violations(page), [], "time step");
    await w.host.locator(".aw-time:not([disabled])").first().click();
    await w.host.getByRole("button", { name: names.confirm }).click();
    await w.host.locator(".aw-field-error:not(:empty)").first().waitFor();
    assert.deepEqual(await violations(page), [], "details with errors");
    for (const [id, text] of [["aw-b-make", "Mazda"], ["aw-b-model", "3"], ["aw-b-year", "2021"], ["aw-b-plate", "CDE-3456"], ["aw-b-name", "Lin"], ["aw-b-phone", "0933-444-555"]]) {
      await w.host.locator(`#${id}`).fill(text);
    }
    await w.host.locator("#aw-b-consent").check();
    await w.host.getByRole("button", { name: names.confirm }).click();
    await w.host.locator(".aw-code").waitFor();
    assert.deepEqual(await violations(page), [], "confirmation");
  });
}

for (const [label, page_] of [["zh-TW, light", "/shop/"], ["en, dark", "/dark-en.html?shop="]]) {
  test(`axe: the review form with its field errors (${label})`, async () => {
    const shop = await freshShop("a11y-review", demo);
    const token = await inviteToken(shop, "A11Y-1");
    const page = await phonePage(browser);
    const sep = page_.includes("?") ? "&" : "?";
    await page.goto(`${HOST_URL}${page_}${shop.id}${sep}review=${token}`);
    const w = new WidgetObject(page);
    await w.settled();
    await w.host.locator("form.aw-form button[type=submit]").click();
    await w.host.locator(".aw-field-error:not(:empty)").first().waitFor();
    assert.deepEqual(await violations(page), []);
  });
}

test("axe: the manage view, the loading state and the network-error state, in both themes", async () => {
  const shop = await freshShop("a11y-manage", demo, { lead_minutes: 0 });
  const av = await (await fetch(`${EDGE_URL}/v1/shops/${shop.id}/availability?service=oil&days=14`)).json();
  const slot = av.days.flatMap((d) => d.slots).find((s) => s.free);
  const booked = await bookViaApi(shop.id, slot.start, 77);
  const site = await serveOnce(`<!doctype html><html lang="zh-TW"><head><meta name="viewport" content="width=device-width"><title>t</title></head><body><div data-alliance-shop="${shop.id}" data-theme="auto"></div><script src="${EDGE_URL}/embed.js" async></script></body></html>`, 18096);
  after(() => site.close());
  for (const scheme of ["light", "dark"]) {
    const page = await phonePage(browser, { colorScheme: scheme });
    // The manage view a customer's link opens, in the theme the system asks for.
    await page.goto(`${site.url}?manage=${booked.manage_token}`);
    const widget = new WidgetObject(page);
    await widget.host.locator(".aw-manage .aw-code").waitFor();
    assert.deepEqual(await violations(page), [], `manage view (${scheme})`);

    // Loading: the first-view request never answers (the client-side mount a review link
    // opens draws the loading state; the edge's first view keeps the snippet's badge).
    const loading = await phonePage(browser, { colorScheme: scheme });
    await loading.route("**/v1/shops/*/first-view*", () => {});
    await loading.goto(`${HOST_URL}/themes.html#review=pending`);
    await loading.locator("#dark").locator(".aw[aria-busy=true]").waitFor();
    assert.deepEqual(await violations(loading), [], `loading (${scheme})`);

    // Network error: the first-view request fails; the retry state is shown.
    const failing = await phonePage(browser, { colorScheme: scheme });
    await failing.route("**/v1/shops/*/first-view*", (r) => r.abort());
    await failing.goto(`${HOST_URL}/themes.html`);
    await failing.locator("#dark").getByRole("alert").first().waitFor();
    assert.deepEqual(await violations(failing), [], `network error (${scheme})`);
  }
});
