// Reviews as a customer meets them: the list with sort, filter and "more"; writing a review
// from a verified-visit link; hostile text shown literally; hidden reviews as placeholders.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, screenshot, WidgetObject, ReviewFormObject, HOST_URL, EDGE_URL, admin, freshShop, inviteToken, bookViaApi, completeViaConsole, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));

useBrowser();

/** Opens `url` and asserts its widget's provenance labels: booked, invited, and the summary. */
async function assertProvenance(page, url, booked, invited, summary) {
  await page.goto(url);
  const widget = new WidgetObject(page);
  await widget.settled();
  assert.equal(await widget.host.locator("[data-provenance=booked]").textContent(), booked);
  assert.equal(await widget.host.locator("[data-provenance=invited]").textContent(), invited);
  assert.equal(await widget.host.locator(".aw-provenance").textContent(), summary);
}

async function writeReview(page, shop, token, fields) {
  await page.goto(`${HOST_URL}/shop/${shop.id}?review=${token}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  const form = new ReviewFormObject(widget);
  await form.fill(fields);
  await form.submit();
  return { widget, form };
}

test("a review link opens the form; field errors show next to each field; publishing updates the widget", async () => {
  const shop = await freshShop("rv-form", demo);
  const token = await inviteToken(shop, "FORM-1", "brakes");
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/${shop.id}?review=${token}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  const form = new ReviewFormObject(widget);
  assert.equal(await form.root.locator("#aw-service").inputValue(), "brakes", "service from the link");
  assert.equal(await form.root.locator("#aw-service").isDisabled(), true, "shown, not chosen");

  await form.fill({ text: "太短" });
  await form.submit();

  assert.equal(await form.error("stars").textContent(), "請選擇 1 到 5 顆星。");
  assert.equal(await form.error("text").textContent(), "請至少寫 10 個字。");
  assert.equal(await form.error("author").textContent(), "請填寫您的稱呼。");
  assert.equal(await form.root.locator("#aw-text").getAttribute("aria-invalid"), "true");
  await screenshot(page, "review-form-errors-360");

  await form.fill({ stars: 4, text: "煞車來令片更換得很快，師傅也把舊零件拿給我看。", author: "林志偉" });
  await form.submit();

  await widget.host.getByRole("status").filter({ hasText: "謝謝您" }).waitFor();
  await widget.host.locator(".aw-review").first().waitFor();
  assert.match(await widget.rating().textContent(), /1 則評價/);
  const first = widget.host.locator(".aw-review").first();
  assert.match(await first.textContent(), /林○○/);
  assert.match(await first.textContent(), /店家於維修後邀請/, "an invited visit says so");
  assert.doesNotMatch(await first.textContent(), /經聯盟預約並完成/, "and claims no more");
  assert.match(await widget.host.locator(".aw-provenance").textContent(), /0 則經聯盟預約並完成 · 1 則由店家於維修後邀請/);
  assert.equal(await first.getByRole("img").getAttribute("aria-label"), "4 顆星（滿分 5 顆）");
  await screenshot(page, "review-published-360");

  // The same link again: the customer is told plainly, and nothing is stored.
  await writeReview(page, shop, token, { stars: 1, text: "再用一次同一個連結試試看。", author: "林志偉" });
  await widget.host.getByRole("alert").filter({ hasText: "已經使用過了" }).waitFor();
  const view = await (await fetch(`${process.env.EDGE_URL}/v1/shops/${shop.id}/widget`)).json();
  assert.equal(view.rating.count, 1);
});

test("each review says how its visit is known, in both languages, and the summary counts each kind", async () => {
  const shop = await freshShop("rv-prov", demo, { lead_minutes: 0 });
  const av = await (await fetch(`${EDGE_URL}/v1/shops/${shop.id}/availability?service=oil&days=14`)).json();
  const start = av.days.flatMap((d) => d.slots).find((s) => s.free).start;
  const booked = await bookViaApi(shop.id, start, 77);
  const bookedToken = await completeViaConsole(shop, booked.reference);
  assert.ok(bookedToken, "completing the booking issued a review link");
  const page = await phonePage(browser);
  await writeReview(page, shop, bookedToken, { stars: 5, text: "預約準時，保養項目都有說明清楚。", author: "張先生" });
  await new WidgetObject(page).host.getByRole("status").filter({ hasText: "謝謝您" }).waitFor();
  await writeReview(page, shop, await inviteToken(shop, "PROV-1"), { stars: 4, text: "現場排隊也很快就輪到我了。", author: "李小姐" });
  await new WidgetObject(page).host.getByRole("status").filter({ hasText: "謝謝您" }).waitFor();

  await assertProvenance(page, `${HOST_URL}/shop/${shop.id}`, "✓ 經聯盟預約並完成", "店家於維修後邀請", "1 則經聯盟預約並完成 · 1 則由店家於維修後邀請");
  await screenshot(page, "review-provenance-zh-360");

  await assertProvenance(
    page,
    `${HOST_URL}/dark-en.html?shop=${shop.id}`,
    "✓ Booked and completed through the alliance",
    "Invited by the shop after a visit",
    "1 booked and completed through the alliance · 1 invited by the shop after a visit",
  );
  await screenshot(page, "review-provenance-en-360");
  assert.deepEqual(page.jsErrors, []);

  // The review JSON says the same.
  const reviews = await (await fetch(`${EDGE_URL}/v1/shops/${shop.id}/reviews`)).json();
  assert.deepEqual(reviews.reviews.map((r) => r.content.provenance).sort(), ["booked", "invited"]);
});

test("hostile review text is shown literally and runs no script", async () => {
  const shop = await freshShop("rv-xss", demo);
  const payloads = [
    `<img src=x onerror="window.__xss=1">看看這個圖片`,
    `</style><script>window.__xss=2</script> 樣式與腳本`,
    `<a href="javascript:window.__xss=3">點我</a> 的連結測試`,
  ];
  const page = await phonePage(browser);
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    d.dismiss();
  });
  for (const [i, text] of payloads.entries()) {
    const token = await inviteToken(shop, `XSS-${i}`);
    const { widget } = await writeReview(page, shop, token, { stars: 3, text, author: `<b>Eve ${i}</b> Smith` });
    await widget.host.getByRole("status").filter({ hasText: "謝謝您" }).waitFor();
  }
  await page.goto(`${HOST_URL}/shop/${shop.id}`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.host.locator(".aw-review").nth(2).waitFor();

  const texts = await widget.host.locator(".aw-review .aw-text").allTextContents();
  for (const p of payloads) assert.ok(texts.includes(p), `shown literally: ${p}`);
  assert.equal(await widget.host.locator(".aw-review img, .aw-review script, .aw-review a").count(), 0);
  await widget.host.locator(".aw-review .aw-text").first().click();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(dialogs, 0);
  assert.deepEqual(page.jsErrors, []);
  await screenshot(page, "review-xss-360");
});

test("more pages in reviews without repeats; sort and filter change the list", async () => {
  const page = await phonePage(browser);
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  const own = demo.reviews.filter((r) => r.shop === "da-an-auto");
  const items = widget.host.locator(".aw-review");
  assert.equal(await items.count(), 5);

  const more = widget.host.getByRole("button", { name: "更多評價" });
  while (await more.isVisible()) {
    // Each press adds a page (the first may wait for the module: until it hydrates the list
    // still says it is not busy, so wait for the page itself).
    const shown = await items.count();
    await more.click();
    await items.nth(shown).waitFor();
    await widget.host.locator(".aw-review-list[aria-busy=false]").waitFor();
  }
  const ids = await items.evaluateAll((els) => els.map((e) => e.dataset.review));
  assert.equal(ids.length, own.length);
  assert.equal(new Set(ids).size, own.length, "each review once");

  await widget.host.getByLabel("排序").selectOption("lowest");
  await widget.host.locator(".aw-review-list[aria-busy=false]").waitFor();
  const lowest = Math.min(...own.map((r) => r.stars));
  assert.equal(await items.first().getByRole("img").getAttribute("aria-label"), `${lowest} 顆星（滿分 5 顆）`);

  await widget.host.getByLabel("服務項目").selectOption("tires");
  await widget.host.locator(".aw-review-list[aria-busy=false]").waitFor();
  const metas = await widget.host.locator(".aw-review-meta").allTextContents();
  assert.ok(metas.length > 0 && metas.every((m) => m.startsWith("輪胎更換")), metas.join("|"));
  await screenshot(page, "reviews-sorted-360");
});

test("a hidden review shows the alliance's placeholder and is left out of the summary", async () => {
  const shop = await freshShop("rv-hide", demo);
  const page = await phonePage(browser, { locale: "en-US" });
  for (const [i, stars] of [5, 1].entries()) {
    const token = await inviteToken(shop, `HIDE-${i}`);
    const { widget } = await writeReview(page, shop, token, { stars, text: `Review number ${i} with enough text.`, author: "Sam Lee" });
    await widget.host.getByRole("status").filter({ hasText: "謝謝您" }).waitFor();
  }
  const page1 = await (await fetch(`${process.env.EDGE_URL}/v1/shops/${shop.id}/reviews?sort=lowest`)).json();
  await admin("POST", `/v1/admin/shops/${shop.id}/reviews/${page1.reviews[0].id}/hide`, { reason: "abuse" });

  await page.goto(`${HOST_URL}/english.html`.replace("english.html", `shop/${shop.id}`));
  const widget = new WidgetObject(page);
  await widget.settled();

  assert.match(await widget.rating().textContent(), /5\.0/);
  assert.match(await widget.rating().textContent(), /1 則評價/);
  assert.match(await widget.host.locator(".aw-hidden-note").textContent(), /1 則評價經聯盟隱藏/);
  await widget.host.getByRole("button", { name: "更多評價" }).click();
  await widget.host.locator(".aw-review-hidden").waitFor();
  assert.equal(await widget.host.locator(".aw-review-hidden p").first().textContent(), "已由聯盟隱藏：不當言論");
  await screenshot(page, "review-hidden-360");
});
