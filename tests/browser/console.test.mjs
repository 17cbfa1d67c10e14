// The consoles as a busy shop owner on a phone meets them: sign in with the keyboard, complete a
// booking, copy its review link; the customer reviews; the shop replies; the reply is in the
// widget on the shop's page. The snippet generator's output renders the chosen view, language
// and theme on a fresh page. Every console page fits 360 px and passes axe.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { phonePage, screenshot, WidgetObject, ReviewFormObject, EDGE_URL, HOST_URL, freshShop, bookViaApi, serveOnce, tabTo, ARTIFACTS, axeViolations, overflowX, browser, useBrowser } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));

useBrowser();

async function firstSlot(shopId) {
  const av = await (await fetch(`${EDGE_URL}/v1/shops/${shopId}/availability?service=oil&days=14`)).json();
  const slot = av.days.flatMap((d) => d.slots).find((s) => s.free);
  assert.ok(slot, "a free slot");
  return slot.start;
}

/** Signs in on the console's own form, with the keyboard only. */
async function signIn(page, key) {
  await page.goto(`${EDGE_URL}/console`);
  await tabTo(page, (d) => d.id === "key");
  await page.keyboard.type(key);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/console\/(shop|admin)/);
}

async function noOverflow(page, what) {
  assert.equal(await overflowX(page), 0, `${what} fits 360 px`);
}

async function axe(page, what) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${what}`);
}

test("a shop signs in, completes a booking, copies the review link; the customer reviews; the reply shows in the widget", async () => {
  const shop = await freshShop("con-flow", demo, { lead_minutes: 0 });
  const booking = await bookViaApi(shop.id, await firstSlot(shop.id), 31);
  const page = await phonePage(browser, { locale: "zh-TW", permissions: ["clipboard-read", "clipboard-write"] });
  await signIn(page, shop.key);
  assert.match(await page.locator("h1").textContent(), /預約/);
  await noOverflow(page, "bookings");
  await screenshot(page, "console-bookings-360");

  // Review links should open the page with the widget: set it in the profile first.
  await page.getByRole("link", { name: "店家資料" }).click();
  await page.locator("#page_url").fill(`${HOST_URL}/shop/${shop.id}`);
  await page.getByRole("button", { name: "儲存" }).click();
  await page.getByRole("status").filter({ hasText: "店家資料已更新" }).waitFor();

  await page.getByRole("link", { name: "預約" }).click();
  const card = page.locator(`#b-${booking.reference}`);
  assert.match(await card.textContent(), /Ford Focus 2018/);
  // Keyboard: Tab to this booking's "完成" and press Enter.
  await tabTo(page, (d) => d.tag === "BUTTON" && d.text === "完成");
  await page.keyboard.press("Enter");
  await page.waitForURL(/ok=complete/);
  assert.match(await page.locator(".pill").first().textContent(), /已完成/);
  await page.getByRole("button", { name: "複製連結" }).click();
  await page.getByRole("status").filter({ hasText: "已複製" }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(link.startsWith(`${HOST_URL}/shop/${shop.id}#review=`), link);
  await noOverflow(page, "booking detail");
  await screenshot(page, "console-completed-360");

  // The customer opens the link on the shop's page and leaves a review.
  const customer = await phonePage(browser);
  await customer.goto(link);
  const widget = new WidgetObject(customer);
  await widget.settled();
  const form = new ReviewFormObject(widget);
  await form.fill({ stars: 5, text: "換機油很快，師傅還幫忙檢查胎壓。", author: "王小明" });
  await form.submit();
  await widget.host.getByRole("status").filter({ hasText: "謝謝您" }).waitFor();

  // The shop replies from the console.
  await page.getByRole("link", { name: "評價" }).click();
  assert.match(await page.locator("article.review").first().textContent(), /檢查胎壓/);
  await page.locator("article.review textarea").first().fill("謝謝王先生，下次保養見！");
  await page.getByRole("button", { name: "發布回覆" }).first().click();
  await page.getByRole("status").filter({ hasText: "回覆已發布" }).waitFor();
  await noOverflow(page, "reviews");
  await screenshot(page, "console-reviews-360");

  // The reply is in the widget on the shop's page.
  await customer.goto(`${HOST_URL}/shop/${shop.id}`);
  const after = new WidgetObject(customer);
  await after.settled();
  await after.host.locator(".aw-review").filter({ hasText: "下次保養見" }).waitFor();
  assert.deepEqual(customer.jsErrors, []);
  assert.deepEqual(page.jsErrors, []);
});

test("the snippet generator's code, pasted into a fresh page, renders the chosen view, language and theme", async () => {
  const shop = await freshShop("con-snip", demo, { lead_minutes: 0 });
  const page = await phonePage(browser, { locale: "en-US" });
  await signIn(page, shop.key);
  await page.getByRole("link", { name: "Snippet" }).click();
  // Choose with the keyboard-operable radios; the preview follows each change.
  await page.getByLabel("Reviews", { exact: true }).check();
  await page.getByLabel("English").check();
  await page.getByLabel("Dark", { exact: true }).check();
  const snippet = page.locator("#snippet");
  await page.waitForFunction(() => {
    const t = document.getElementById("snippet")?.value ?? "";
    return t.includes('data-view="reviews"') && t.includes('data-locale="en"') && t.includes('data-theme="dark"');
  });
  const code = await snippet.inputValue();
  assert.match(await page.locator("iframe.preview").getAttribute("src"), /view=reviews&locale=en&theme=dark/);
  const preview = page.frameLocator("iframe.preview");
  await preview.locator(".aw[aria-busy=false]").waitFor({ timeout: 20000 });
  // Live, but sandboxed: an opaque origin that can reach neither the console's cookie nor its DOM.
  assert.equal(await page.locator("iframe.preview").getAttribute("sandbox"), "allow-scripts");
  const frame = page.frames().find((f) => f.url().includes("/console/preview"));
  assert.equal(await frame.evaluate(() => self.origin), "null");
  assert.equal(await frame.evaluate(() => { try { return document.cookie; } catch (e) { return "refused"; } }), "refused");
  assert.equal(await frame.evaluate(() => { try { return parent.document.title; } catch (e) { return "refused"; } }), "refused");
  await noOverflow(page, "snippet generator");
  await screenshot(page, "console-snippet-360");

  // The exact code on a page of its own (another origin, as a shop's site would be).
  const site = await serveOnce(`<!doctype html><html><head><meta name="viewport" content="width=device-width"></head><body><h1>My garage</h1>\n${code}\n</body></html>`, 18097);
  try {
    const visitor = await phonePage(browser);
    await visitor.goto(site.url);
    const widget = new WidgetObject(visitor);
    await widget.settled();
    assert.equal(await widget.host.locator(".aw-card").getAttribute("data-view"), "reviews");
    assert.equal(await widget.card.getAttribute("lang"), "en");
    assert.match(await widget.rating().textContent(), /review/i, "English rating");
    assert.equal(await widget.host.locator(".aw-booking, .aw-book").count(), 0, "no booking in the reviews view");
    assert.equal(await widget.badge().count(), 0, "no badge in the reviews view");
    const bg = await widget.card.evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `dark theme background, got ${bg}`);
    await screenshot(visitor, "snippet-reviews-en-dark-360");
    assert.deepEqual(visitor.jsErrors, []);
  } finally {
    site.close();
  }
});

test("console pages fit 360 px, pass axe, and the admin console works from a phone", async () => {
  const shop = await freshShop("con-a11y", demo, { lead_minutes: 0 });
  // With an e-mail address, so the Messages page lists a confirmation and a reminder.
  const booked = await bookViaApi(shop.id, await firstSlot(shop.id), 32, { email: "con-a11y@customer.example" });
  for (const locale of ["zh-TW", "en-US"]) {
    const page = await phonePage(browser, { locale });
    await signIn(page, shop.key);
    for (const section of ["bookings", "reviews", "profile", "messages", "webhooks", "snippet"]) {
      await page.goto(`${EDGE_URL}/console/shop/${shop.id}/${section}`);
      await noOverflow(page, `${section} (${locale})`);
      await axe(page, `${section} (${locale})`);
      if (locale === "zh-TW") await screenshot(page, `console-${section}-360`);
    }
    // Linking the shop's LINE from the Messages page shows a code; the customer's LINE page.
    await page.goto(`${EDGE_URL}/console/shop/${shop.id}/messages`);
    await page.locator("form[action$='/messages/line'] button").click();
    await page.locator(".code").waitFor();
    await noOverflow(page, `messages with a LINE code (${locale})`);
    await axe(page, `messages with a LINE code (${locale})`);
    if (locale === "zh-TW") await screenshot(page, "console-messages-line-code-360");
    await page.goto(`${EDGE_URL}/v1/bookings/${booked.manage_token}/line`);
    await page.locator(".code").waitFor();
    await noOverflow(page, `the booking's LINE page (${locale})`);
    await axe(page, `the booking's LINE page (${locale})`);
    if (locale === "zh-TW") await screenshot(page, "booking-line-page-360");
    // A field error is shown next to its field, and is accessible too.
    await page.goto(`${EDGE_URL}/console/shop/${shop.id}/profile`);
    await page.locator("#page_url").fill("https://elsewhere.example/");
    await page.locator("form.profile button[type=submit]").click();
    await page.locator("#page_url-error").waitFor();
    assert.equal(await page.locator("#page_url").getAttribute("aria-invalid"), "true");
    await axe(page, `profile with an error (${locale})`);
    if (locale === "zh-TW") await screenshot(page, "console-profile-error-360");
  }
  const admin = await phonePage(browser, { locale: "zh-TW" });
  await signIn(admin, process.env.ADMIN_TOKEN);
  for (const section of ["", "/moderation", "/audit"]) {
    await admin.goto(`${EDGE_URL}/console/admin${section}`);
    await noOverflow(admin, `admin${section}`);
    await axe(admin, `admin${section}`);
    // The viewport only: with every test's shops the members page is tens of thousands of pixels.
    await admin.screenshot({ path: `${ARTIFACTS}/console-admin${section.replace("/", "-") || "-members"}-360.png` });
  }
  const login = await phonePage(browser, { locale: "zh-TW" });
  await login.goto(`${EDGE_URL}/console`);
  await login.locator("#key").fill("sk_wrong");
  await login.keyboard.press("Enter");
  await login.locator("#key-error").waitFor();
  assert.equal(await login.locator("#key").getAttribute("aria-invalid"), "true");
  await axe(login, "sign-in with an error");
  await screenshot(login, "console-login-error-360");
});

test("a shop acting on a booking the customer has just cancelled is told why, in its language", async () => {
  const shop = await freshShop("con-stale", demo, { lead_minutes: 0, cancel_cutoff_hours: 0 });
  const booking = await bookViaApi(shop.id, await firstSlot(shop.id), 33);
  const page = await phonePage(browser, { locale: "zh-TW" });
  await signIn(page, shop.key);
  const card = page.locator(`#b-${booking.reference}`);
  await card.waitFor();
  // The customer cancels by the manage link while the shop's page is still open.
  const cancelled = await fetch(`${EDGE_URL}/v1/bookings/${booking.manage_token}/cancel`, {
    method: "POST",
    headers: { origin: HOST_URL },
  });
  assert.equal(cancelled.status, 200, await cancelled.text());
  await card.getByRole("button", { name: "完成" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  // The kind of refusal in Chinese, the specifics after it; nothing changed.
  assert.match(await alert.textContent(), /^目前無法這樣做（.+）$/);
  await noOverflow(page, "a refused action");
  await screenshot(page, "console-refused-360");
  await page.context().close();
});

test("the console installs as a web app and asks for phone alerts: Chromium registers the service worker and says what stops it", async () => {
  const shop = await freshShop("con-push", demo, { lead_minutes: 0 });
  // The manifest: an installable app scoped to the console, with an icon.
  const manifest = await (await fetch(`${EDGE_URL}/console/manifest.webmanifest`)).json();
  assert.equal(manifest.display, "standalone");
  assert.equal(manifest.scope, "/console/");
  for (const size of ["192x192", "512x512"]) {
    const entry = manifest.icons.find((i) => i.sizes === size && i.type === "image/png");
    assert.ok(entry, `a ${size} PNG icon`);
    const icon = await fetch(`${EDGE_URL}${entry.src}`);
    assert.equal(icon.headers.get("content-type"), "image/png");
    const bytes = new Uint8Array(await icon.arrayBuffer());
    const view = new DataView(bytes.buffer);
    assert.equal(`${view.getUint32(16)}x${view.getUint32(20)}`, size, "the PNG is that size");
  }

  // Notifications allowed: the service worker registers; headless Chromium has no push
  // service to subscribe with, so the page says it could not reach it, next to the button.
  const page = await phonePage(browser, { locale: "zh-TW", permissions: ["notifications"] });
  const violations = [];
  page.on("console", (m) => { if (m.type() === "error" && /Content Security Policy/.test(m.text())) violations.push(m.text()); });
  await signIn(page, shop.key);
  await page.goto(`${EDGE_URL}/console/shop/${shop.id}/messages`);
  assert.equal(await page.locator("link[rel=manifest]").getAttribute("href"), "/console/manifest.webmanifest");
  const button = page.locator("#push-enable");
  await button.waitFor();
  await button.click();
  await page.waitForFunction(() => document.getElementById("push-status").textContent.length > 8, null, { timeout: 20000 });
  const said = await page.locator("#push-status").textContent();
  assert.match(said, /無法連上瀏覽器的通知服務/, said);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration("/console/"))?.scope);
  assert.equal(scope, `${EDGE_URL}/console/`);
  assert.equal(await button.isDisabled(), false, "the button can be pressed again");
  await axe(page, "messages with the push error");
  await screenshot(page, "console-push-unavailable-360");
  assert.deepEqual(violations, [], "no CSP violations");
  assert.deepEqual(page.jsErrors, []);

  // Notifications blocked: the page says how to allow them, in English too.
  const blocked = await phonePage(browser, { locale: "en-US" });
  await signIn(blocked, shop.key);
  await blocked.goto(`${EDGE_URL}/console/shop/${shop.id}/messages?lang=en`);
  await blocked.context().grantPermissions([]);
  await blocked.locator("#push-enable").click();
  await blocked.waitForFunction(() => document.getElementById("push-status").textContent.length > 8, null, { timeout: 20000 });
  const blockedSaid = await blocked.locator("#push-status").textContent();
  assert.match(blockedSaid, /blocked|could not be reached/, blockedSaid);
});
