// The alliance as a network, as a customer on a phone meets it: this shop is full on the day
// they want, the widget offers the nearest member with free times, and they book there without
// leaving the page; once the shop completes the visit, the manage view counts their alliance
// visits (never the booking's own answer). The directory works without
// JavaScript.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, screenshot, WidgetObject, HOST_URL, EDGE_URL, freshShop, bookViaApi, axeViolations, completeViaConsole, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));

useBrowser();

/** A one-bay member at a place of its own. */
function placed(prefix, latitude) {
  const services = demo.shops[0].services.map((s) => ({ ...s, bays: 1 }));
  return freshShop(prefix, demo, { lead_minutes: 0 }, { bays: 1, services, latitude, longitude: 150.5 });
}

test("a full day offers a nearby member, and the customer books there without leaving the page", async () => {
  const base = -45 - (Date.now() % 1000) / 100;
  const full = await placed("net-a", base);
  const near = await placed("net-b", base - 0.02);
  const av = await (await fetch(`${EDGE_URL}/v1/shops/${full.id}/availability?service=oil&days=14`)).json();
  const date = av.days.find((d) => d.slots.some((s) => s.free)).date;
  // Fill the day: book its first free time until none is left.
  for (let n = 100; ; n++) {
    const one = await (await fetch(`${EDGE_URL}/v1/shops/${full.id}/availability?service=oil&from=${date}&days=1`)).json();
    const free = one.days[0].slots.find((s) => s.free);
    if (!free) break;
    await bookViaApi(full.id, free.start, n);
  }

  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/${full.id}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.host.getByRole("button", { name: "預約時段" }).click();
  await widget.host.getByRole("button", { name: "下一步" }).click();
  const dayButton = widget.host.locator(`.aw-day[data-state=full]`).first();
  await dayButton.waitFor();
  await dayButton.click();
  const offer = widget.host.locator(`.aw-offer[data-shop="${near.id}"]`);
  await offer.waitFor();
  assert.match(await offer.textContent(), /距離 2\.\d 公里/);
  assert.match(await widget.host.locator(".aw-offers").textContent(), /已額滿/);
  await screenshot(page, "referral-offers-360");
  assert.deepEqual(await axeViolations(page), [], "axe on the offers");

  await offer.locator(".aw-time").first().click();
  assert.match(await widget.host.locator(".aw-referral").textContent(), /將預約在聯盟會員/);
  for (const [id, text] of [["#aw-b-make", "Honda"], ["#aw-b-model", "Fit"], ["#aw-b-year", "2020"], ["#aw-b-plate", "BCD-5678"], ["#aw-b-name", "林小姐"], ["#aw-b-phone", `0933-${String(Date.now() % 1000000).padStart(6, "0")}`]]) {
    await widget.host.locator(id).fill(text);
  }
  await widget.host.locator("#aw-b-consent").check();
  await widget.host.locator("#aw-b-count").check();
  await widget.host.getByRole("button", { name: "確認預約" }).click();
  await widget.host.locator(".aw-code").waitFor();
  assert.match(await widget.host.locator(".aw-confirmed").textContent(), /將預約在聯盟會員/);
  assert.equal(await widget.host.locator(".aw-visits").count(), 0, "no count before the visit is completed");
  await screenshot(page, "referral-confirmed-360");
  const reference = await widget.host.locator(".aw-code").textContent();

  // The booking is at the member it was made with, and says who referred it.
  const manage = await widget.host.getByRole("link", { name: "查看或取消預約" }).getAttribute("href");
  const token = new URLSearchParams(new URL(manage).hash.slice(1)).get("manage");
  const stored = await (await fetch(`${EDGE_URL}/v1/bookings/${token}`)).json();
  assert.equal(stored.shop, near.id);
  assert.equal(stored.referred_by, full.id);
  assert.equal(stored.reference, reference);
  // Managed from the site where it was booked.
  await widget.host.getByRole("link", { name: "查看或取消預約" }).click();
  await widget.host.locator(".aw-manage .aw-code").waitFor();
  assert.equal(await widget.host.locator(".aw-visits").count(), 0);
  // The shop completes the visit: now it counts, and the customer sees it on the manage view.
  await completeViaConsole(near, reference);
  // The widget took the token out of the address bar, so the customer opens the link again.
  await page.goto("about:blank");
  await page.goto(manage);
  await widget.host.locator(".aw-manage .aw-visits").waitFor();
  assert.match(await widget.host.locator(".aw-visits").textContent(), /這是您在聯盟的第 1 次來店（再 6 次成為聯盟常客）/);
  assert.equal(await widget.host.locator(".aw-manage [data-status]").textContent(), "已完成");
  await screenshot(page, "manage-visit-count-360");
  assert.deepEqual(page.jsErrors, []);
});

test("a service this shop lacks: the widget offers the members that have it, and books there", async () => {
  const base = -55 - (Date.now() % 1000) / 100;
  const plain = await placed("net-plain", base);
  const services = [...demo.shops[0].services.map((s) => ({ ...s, bays: 1 })), {
    id: "ev-battery", name: { "zh-TW": "電動車電池檢測", en: "EV battery check" }, duration_minutes: 60,
    price: { "zh-TW": "NT$1,500", en: "NT$1,500" }, bays: 1,
  }];
  const ev = await freshShop("net-ev", demo, { lead_minutes: 0 }, { bays: 1, services, latitude: base - 0.01, longitude: 150.5 });
  const page = await phonePage(browser, { locale: "en-US" });
  await page.goto(`${HOST_URL}/shop/${plain.id}?aw_service=ev-battery`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.host.getByRole("button", { name: "預約時段" }).click();
  const offer = widget.host.locator(`.aw-offer[data-shop="${ev.id}"]`);
  await offer.waitFor();
  assert.match(await widget.host.locator(".aw-offers").textContent(), /本店沒有提供/);
  assert.match(await offer.locator(".aw-offer-day").textContent(), /電動車電池檢測/);
  await screenshot(page, "referral-missing-service-360");
  await offer.locator(".aw-time").first().click();
  for (const [id, text] of [["#aw-b-make", "Tesla"], ["#aw-b-model", "Model 3"], ["#aw-b-year", "2022"], ["#aw-b-plate", "EFG-3456"], ["#aw-b-name", "周先生"], ["#aw-b-phone", `0922-${String(Date.now() % 1000000).padStart(6, "0")}`]]) {
    await widget.host.locator(id).fill(text);
  }
  await widget.host.locator("#aw-b-consent").check();
  await widget.host.getByRole("button", { name: "確認預約" }).click();
  await widget.host.locator(".aw-code").waitFor();
  const manage = await widget.host.getByRole("link", { name: "查看或取消預約" }).getAttribute("href");
  const stored = await (await fetch(`${EDGE_URL}/v1/bookings/${new URLSearchParams(new URL(manage).hash.slice(1)).get("manage")}`)).json();
  assert.equal(stored.shop, ev.id);
  assert.equal(stored.service, "ev-battery");
  assert.equal(stored.referred_by, plain.id);
  assert.deepEqual(page.jsErrors, []);
});

test("the directory and the find-a-member view work without JavaScript and fit a phone", async () => {
  const page = await phonePage(browser, { javaScriptEnabled: false, locale: "zh-TW" });
  await page.goto(`${EDGE_URL}/alliance`);
  for (const shop of demo.shops) await page.getByRole("link", { name: shop.name["zh-TW"] }).first().waitFor();
  await page.selectOption("#service", "brakes");
  await page.selectOption("#from", { index: 1 });
  await page.getByRole("button", { name: "搜尋" }).click();
  await page.waitForURL(/service=brakes/);
  assert.match(await page.locator("article.member").first().textContent(), /km/);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));
  await screenshot(page, "directory-360");
  const js = await phonePage(browser, { locale: "en-US" });
  await js.goto(`${EDGE_URL}/alliance?embed=1&lang=en`);
  // Location is asked for only on a click: the button is there, and nothing prompted yet.
  await js.getByRole("button", { name: "Sort by my location" }).waitFor();
  await screenshot(js, "find-a-member-en-360");
});
