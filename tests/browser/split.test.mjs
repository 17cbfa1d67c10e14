// The first view downloads only what it shows: the booking flow's code is a separate chunk,
// fetched when the customer reaches for the "book" button, and a chunk that cannot be fetched
// is an error with a retry, not a dead widget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { phonePage, screenshot, WidgetObject, HOST_URL, browser, useBrowser } from "./helpers.mjs";

useBrowser();

/** Records the file names of every .wasm the page requests. */
function wasmRequests(page) {
  const seen = [];
  page.on("request", (r) => {
    const name = new URL(r.url()).pathname.split("/").pop();
    if (name.endsWith(".wasm")) seen.push(name);
  });
  return seen;
}

test("the first view fetches only the main module; pressing the book button fetches the booking chunk and opens the flow", async () => {
  const page = await phonePage(browser);
  const wasm = wasmRequests(page);
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.rating().waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(wasm, ["widget_bg.wasm"], "the first view downloads the main module alone");

  await widget.host.getByRole("button", { name: "預約時段" }).click();
  await widget.host.getByRole("heading", { name: "1. 選擇服務" }).waitFor();
  assert.ok(wasm.includes("split_booking.wasm"), `booking chunk fetched on demand: ${wasm}`);
  assert.equal(wasm.filter((n) => n === "widget_bg.wasm").length, 1, "the main module is not fetched again");
  assert.deepEqual(page.jsErrors, []);
});

test("when the booking chunk cannot be fetched the widget says so beside the badge and rating, and retrying opens the flow", async () => {
  const page = await phonePage(browser);
  await page.route("**/split_booking.wasm", (route) => route.abort("internetdisconnected"));
  await page.goto(`${HOST_URL}/shop/da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();

  await widget.host.getByRole("button", { name: "預約時段" }).click();
  const error = widget.host.locator("[data-state=chunk][role=alert]");
  await error.waitFor();
  assert.match(await error.textContent(), /這部分暫時無法載入/);
  assert.ok(await widget.rating().isVisible(), "the rest of the widget keeps working");
  assert.ok(await widget.badge().isVisible());
  await screenshot(page, "booking-chunk-error-360");

  await page.unroute("**/split_booking.wasm");
  await error.getByRole("button", { name: "重試" }).click();
  await widget.host.getByRole("heading", { name: "1. 選擇服務" }).waitFor();
  assert.equal(await error.count(), 0);
  assert.deepEqual(page.jsErrors, []);
});

test("closing the booking flow shows the book button again, and reopening needs no second download", async () => {
  const page = await phonePage(browser, { locale: "en-US" });
  const wasm = wasmRequests(page);
  await page.goto(`${HOST_URL}/dark-en.html?shop=da-an-auto`);
  const widget = new WidgetObject(page);
  await widget.settled();
  await widget.host.getByRole("button", { name: "Book a visit" }).click();
  await widget.host.getByRole("heading", { name: "1. Choose a service" }).waitFor();
  await widget.host.getByRole("button", { name: "Close" }).click();
  await widget.host.getByRole("button", { name: "Book a visit" }).click();
  await widget.host.getByRole("heading", { name: "1. Choose a service" }).waitFor();
  assert.equal(wasm.filter((n) => n === "split_booking.wasm").length, 1);
});
