// Booking as a customer on a phone does it, with the keyboard alone: service, day and time,
// details, confirmation with its code and host-page event; then the manage link cancels it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, screenshot, WidgetObject, HOST_URL, EDGE_URL, freshShop, tabTo, keyboardDetails, bookViaApi, overflowX, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));

useBrowser();

const noOverflow = async (page) => (await overflowX(page)) <= 0;

/** Taipei's date `days` days from now, `YYYY-MM-DD`. */
const taipeiDate = (days) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** Opening hours from `open` to `close` every day of the week, without breaks. */
const everyDay = (open, close) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open, close, breaks: [] }));

/** Books 09:00 on `day` at `shop` (customer `n`) through the API, then opens the booking's manage
 * link on a fresh phone page; returns the booking, the page and its widget. */
async function openManageLink(shop, day, n) {
  const booked = await bookViaApi(shop.id, `${day}T09:00:00+08:00`, n);
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/${shop.id}?manage=${booked.manage_token}`);
  const widget = new WidgetObject(page);
  await widget.host.locator(".aw-manage .aw-code").waitFor();
  return { booked, page, widget };
}

test("a complete booking at 360 px with the keyboard alone, then the manage link cancels it", async () => {
  // A one-hour cut-off, so the first free time tomorrow can still be cancelled online.
  const shop = await freshShop("kb-book", demo, { cancel_cutoff_hours: 1 });
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/${shop.id}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await page.evaluate(() => {
    document.querySelector("[data-alliance-shop]").addEventListener("alliance:booking-confirmed", (e) => (window.__booked = e.detail));
  });

  await tabTo(page, (d) => d.text === "預約時段");
  await page.keyboard.press("Enter");
  // (Pressed before the module had taken over the edge's first view, the press is carried out
  // once it has: the step appears then.)
  await widget.host.locator(".aw-booking h3").waitFor();
  await tabTo(page, (d) => d.text === "下一步");
  await page.keyboard.press("Enter");
  await widget.host.locator(".aw-time:not([disabled])").first().waitFor();
  await screenshot(page, "booking-times-360");
  assert.ok(await noOverflow(page), "no sideways scrolling on the time step");
  await keyboardDetails(page, [["aw-b-make", "Toyota"], ["aw-b-model", "Corolla Altis"], ["aw-b-year", "2019"], ["aw-b-plate", "ABC-1234"], ["aw-b-name", "陳怡君"], ["aw-b-phone", "0912-345-678"]]);
  await screenshot(page, "booking-details-360");
  await tabTo(page, (d) => d.text === "確認預約");
  await page.keyboard.press("Enter");

  const code = widget.host.locator(".aw-code");
  await code.waitFor();
  const reference = await code.textContent();
  assert.match(reference, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.ok(await noOverflow(page));
  await screenshot(page, "booking-confirmed-360");
  const event = await page.evaluate(() => window.__booked);
  assert.equal(event.reference, reference);
  assert.deepEqual(Object.keys(event).sort(), ["reference", "service", "shop", "start"], "no personal data in the event");
  const ics = await widget.host.getByRole("link", { name: "加入行事曆" }).getAttribute("href");
  assert.ok(ics.startsWith(`${EDGE_URL}/v1/bookings/`));
  const manage = await widget.host.getByRole("link", { name: "查看或取消預約" }).getAttribute("href");
  assert.ok(manage.startsWith(`${HOST_URL}/shop/${shop.id}#manage=`), manage);
  const token = new URLSearchParams(new URL(manage).hash.slice(1)).get("manage");
  // What the host page's own scripts can see of its address, from its first script on.
  await page.addInitScript(() => {
    window.__seen = [];
    const note = () => window.__seen.push(location.search + " " + document.referrer);
    note();
    document.addEventListener("DOMContentLoaded", note);
    addEventListener("load", note);
  });

  // The customer follows the link from the confirmation: the page loads with the manage view.
  await widget.host.getByRole("link", { name: "查看或取消預約" }).click();
  await widget.host.locator(".aw-manage .aw-code").waitFor();
  assert.ok(!page.url().includes(token), `the token left the address bar: ${page.url()}`);
  assert.ok(!(await page.evaluate(() => location.href)).includes(token));
  const seen = await page.evaluate(() => window.__seen);
  assert.ok(seen.length >= 2 && seen.every((s) => !s.includes(token)), `the host saw ${seen}`);
  assert.equal(await widget.host.locator(".aw-manage .aw-code").textContent(), reference);
  await tabTo(page, (d) => d.text === "取消預約");
  await page.keyboard.press("Enter");
  await tabTo(page, (d) => d.text === "是，取消");
  await page.keyboard.press("Enter");

  await widget.host.getByText("預約已取消，時段已釋出。").waitFor();
  await screenshot(page, "booking-cancelled-360");
  const stored = await (await fetch(`${EDGE_URL}/v1/bookings/${token}`)).json();
  assert.equal(stored.status, "cancelled");
  assert.deepEqual(page.jsErrors, []);
});

test("a fully booked day is shown as full, and a taken time cannot be chosen", async () => {
  const weekly = everyDay("09:00", "11:00");
  const shop = await freshShop("full-day", demo, { weekly, step_minutes: 60, lead_minutes: 0, closures: [] }, { bays: 1 });
  const day = taipeiDate(2);
  await bookViaApi(shop.id, `${day}T09:00:00+08:00`, 1);
  await bookViaApi(shop.id, `${day}T10:00:00+08:00`, 2);
  const next = taipeiDate(3);
  await bookViaApi(shop.id, `${next}T09:00:00+08:00`, 3);
  const page = await phonePage(browser, { locale: "en-US" });
  await page.goto(`${HOST_URL}/shop/${shop.id}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.host.getByRole("button", { name: "預約時段" }).click();
  await widget.host.getByRole("button", { name: "下一步" }).click();
  await widget.host.locator(".aw-day").first().waitFor();

  const days = widget.host.locator(".aw-day");
  assert.equal(await days.count(), 14, "every day of the two weeks is shown");
  const full = days.nth(2);
  assert.equal(await full.getAttribute("data-state"), "full");
  assert.match(await full.textContent(), /額滿/);
  // A full day can be chosen: it has no free time here, and the alliance's members are offered.
  assert.ok(!(await full.isDisabled()));
  await full.click();
  await widget.host.getByText("這天沒有可預約的時段。").waitFor();
  assert.equal(await widget.host.locator(".aw-time:not([disabled]):not(.aw-offer .aw-time)").count(), 0, "none of this shop's own");
  await widget.host.locator(".aw-offers, .aw-booking p.aw-muted").last().waitFor();
  await days.nth(3).click();
  const taken = widget.host.locator(".aw-time").first();
  assert.match(await taken.textContent(), /09:00 已約滿/);
  assert.ok(await taken.isDisabled());
  assert.ok(await widget.host.locator(".aw-time").nth(1).isEnabled());
  assert.match(await widget.host.locator(".aw-zone").textContent(), /Asia\/Taipei/);
  await screenshot(page, "booking-full-day-360");
});

test("the manage link moves the booking to another time, freeing the old one", async () => {
  const weekly = everyDay("09:00", "12:00");
  const shop = await freshShop("resched", demo, { weekly, step_minutes: 60, lead_minutes: 0, closures: [], cancel_cutoff_hours: 1 }, { bays: 1 });
  const day = taipeiDate(2);
  const { booked, page, widget } = await openManageLink(shop, day, 4);

  await widget.host.getByRole("button", { name: "更改時間" }).click();
  await widget.host.locator(".aw-day").nth(2).click();
  await widget.host.getByRole("button", { name: "11:00" }).click();

  await widget.host.getByText("已改到新的時間。").waitFor();
  const stored = await (await fetch(`${EDGE_URL}/v1/bookings/${booked.manage_token}`)).json();
  assert.equal(stored.start, `${day}T11:00:00+08:00`);
  const cal = await (await fetch(`${EDGE_URL}/v1/shops/${shop.id}/availability?service=oil&from=${day}&days=1`)).json();
  const free = Object.fromEntries(cal.days[0].slots.map((s) => [s.time, s.free]));
  assert.deepEqual(free, { "09:00": true, "10:00": true, "11:00": false });
  await screenshot(page, "booking-rescheduled-360");
});

test("the booking form is prefilled from the page's aw_* parameters", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/neihu-motors?aw_service=brakes&aw_plate=XYZ-9876&aw_name=${encodeURIComponent("林志偉")}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.host.getByRole("button", { name: "預約時段" }).click();

  assert.ok(await widget.host.locator("input[name=aw-service][value=brakes]").isChecked());
  await widget.host.getByRole("button", { name: "下一步" }).click();
  await widget.host.locator(".aw-time:not([disabled])").first().click();
  assert.equal(await widget.host.locator("#aw-b-plate").inputValue(), "XYZ-9876");
  assert.equal(await widget.host.locator("#aw-b-name").inputValue(), "林志偉");
});

test("the manage link offers the customer's data and deletes it on request", async () => {
  const weekly = everyDay("09:00", "12:00");
  const shop = await freshShop("erase", demo, { weekly, step_minutes: 60, cancel_cutoff_hours: 1, lead_minutes: 0, closures: [] });
  const { page, widget } = await openManageLink(shop, taipeiDate(2), 5);
  const link = await widget.host.getByRole("link", { name: "下載我的資料" }).getAttribute("href");
  // Only the shop's own pages get the export: from the page it works, from elsewhere not.
  const fromPage = (u) => page.evaluate(async (u) => (await fetch(u)).json(), u);
  assert.equal((await fromPage(link)).stored.name, "Test");
  assert.equal((await fetch(link)).status, 403, "no Origin or Referer: refused");

  await widget.host.getByRole("button", { name: "刪除我的個人資料" }).click();
  await widget.host.locator(".aw-privacy .aw-danger").click();

  await widget.host.getByText("您的個人資料已刪除。").waitFor();
  const after = await fromPage(link);
  assert.equal(after.stored.name, "");
  assert.equal(after.booking.status, "cancelled");
  await screenshot(page, "booking-erased-360");
});
