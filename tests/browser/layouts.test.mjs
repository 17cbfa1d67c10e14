// The widget at every width a visitor brings (320, 360, 768, 1280 px) in both themes, first view
// and booking times: screenshots saved as artefacts, and no sideways scrolling anywhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, phonePage, screenshot, WidgetObject, HOST_URL } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

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
