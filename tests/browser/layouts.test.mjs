// The widget at every width a visitor brings (320, 360, 768, 1280 px) in both themes, first view
// and booking times: screenshots saved as artefacts, and no sideways scrolling anywhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { phonePage, screenshot, WidgetObject, HOST_URL, EDGE_URL, serveOnce, overflowX, browser, useBrowser } from "./helpers.mjs";

useBrowser();

const overflow = overflowX;

for (const width of [320, 360, 768, 1280]) {
  test(`${width} px: both themes and the booking step fit without overflow`, async () => {
    const page = await phonePage(browser, { viewport: { width, height: 800 } });
    await page.goto(`${HOST_URL}/themes.html`);
    for (const id of ["light", "dark"]) await new WidgetObject(page, `#${id}`).settled();
    assert.equal(await overflow(page), 0, "themes page");
    await screenshot(page, `layout-themes-${width}`);

    for (const theme of ["light", "dark"]) {
      const shop = theme === "light" ? "da-an-auto" : "neihu-motors";
      await page.goto(`${HOST_URL}/themes.html`);
      const w = new WidgetObject(page, `#${theme}`);
      await w.settled();
      await w.host.getByRole("button", { name: "預約時段" }).click();
      await w.host.getByRole("button", { name: "下一步" }).click();
      await w.host.locator(".aw-time").first().waitFor();
      assert.equal(await overflow(page), 0, `${theme} booking at ${width}`);
      await w.host.screenshot({ path: `${process.env.ARTIFACTS ?? "test-artifacts"}/layout-booking-${theme}-${width}.png` });
      assert.ok(shop);
    }
    assert.deepEqual(page.jsErrors, []);
  });
}

test("data-font=inherit takes the host page's font; without it the widget keeps its own", async () => {
  const site = await serveOnce(`<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width"><title>f</title></head>
<body style="font-family: 'Courier New', monospace">
<div id="inherit" data-alliance-shop="da-an-auto" data-font="inherit"></div>
<div id="own" data-alliance-shop="da-an-auto"></div>
<script src="${EDGE_URL}/embed.js" async></script></body></html>`, 18094);
  try {
    const page = await phonePage(browser);
    await page.goto(site.url);
    const font = async (id) => {
      const w = new WidgetObject(page, `#${id}`);
      await w.settled();
      return w.card.evaluate((el) => getComputedStyle(el).fontFamily);
    };
    assert.match(await font("inherit"), /Courier New/);
    assert.doesNotMatch(await font("own"), /Courier/);
  } finally {
    site.close();
  }
});
