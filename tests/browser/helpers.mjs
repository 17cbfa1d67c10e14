// Shared helpers for the browser tests: Debian's Chromium driven by playwright-core, and page
// objects for the widget. The edge and the demo host site are started by `cargo xtask test`,
// which passes their URLs in EDGE_URL and HOST_URL.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const EDGE_URL = process.env.EDGE_URL ?? "http://127.0.0.1:18787";
export const HOST_URL = process.env.HOST_URL ?? "http://127.0.0.1:18080";
export const ARTIFACTS = process.env.ARTIFACTS ?? "test-artifacts";

/** Launches headless Chromium with flags that work as root on these machines. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A phone-sized page (360×740) in a fresh context. */
export async function phonePage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.jsErrors = errors;
  return page;
}

/** Saves a full-page screenshot as a test artefact. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Page object for one widget on a host page: `host` is a CSS selector for its placeholder. */
export class WidgetObject {
  constructor(page, host = "[data-alliance-shop]") {
    this.page = page;
    this.host = page.locator(host).first();
    // Playwright's CSS locators pierce open shadow roots.
    this.card = this.host.locator(".aw");
  }
  shopName() {
    return this.host.getByRole("heading", { level: 2 });
  }
  rating() {
    return this.host.locator(".aw-rating");
  }
  alert() {
    return this.host.getByRole("alert");
  }
  retryButton(name) {
    return this.host.getByRole("button", { name });
  }
  /** Waits until the widget has left its loading state. */
  async settled() {
    await this.host.locator(".aw[aria-busy=false]").waitFor({ timeout: 20000 });
  }
}
