// Every HTML page the edge serves passes the Nu Html Checker (vnu-jar from npm, on Java 17):
// the public pages (directory, warranty, verification, member pages, counter card, review
// code, "no such member"), the pages behind the links in e-mails, the consoles signed in as a shop and as the admin, and the pages a
// person sees when something is wrong. Errors fail; the checker's info messages do not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { EDGE_URL, ADMIN_TOKEN, freshShop, bookViaApi } from "./helpers.mjs";

const demo = JSON.parse(readFileSync(new URL("../../demo/alliance.json", import.meta.url)));
const vnu = new URL("../../node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url).pathname;

async function signIn(key) {
  const login = await fetch(`${EDGE_URL}/console/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: EDGE_URL },
    body: new URLSearchParams({ key }).toString(),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  assert.equal(login.status, 303, "sign-in");
  return cookie;
}

test("every HTML page the edge serves passes the Nu Html Checker", async () => {
  const shop = await freshShop("vnu", demo);
  const av = await (await fetch(`${EDGE_URL}/v1/shops/${shop.id}/availability?service=oil&days=14`)).json();
  const start = av.days.flatMap((d) => d.slots).find((s) => s.free).start;
  const booked = await bookViaApi(shop.id, start, 7);
  const shopCookie = await signIn(shop.key);
  const adminCookie = await signIn(ADMIN_TOKEN);
  const id = demo.shops[0].id;
  const pages = [
    ["/alliance"], ["/alliance?lang=en"], ["/alliance?service=oil&from=x"],
    ["/alliance/warranty"], ["/alliance/warranty?reference=ZZZZ-ZZZZ&lang=en"], ["/alliance/warranty?reference=bad"],
    [`/verify/${id}`], ["/verify/no-such-member"],
    [`/shops/${id}`], [`/shops/${id}?lang=en`], [`/shops/${id}/card`], [`/shops/${id}/card?lang=en`],
    [`/shops/${id}/review`], [`/shops/${id}/review?code=1`], [`/shops/${id}/review?form=1&lang=en`], ["/shops/no-such-member"],
    ["/console"], ["/console/login"], [`/console/preview?shop=${id}`],
    [`/console/shop/${shop.id}/bookings`, shopCookie], [`/console/shop/${shop.id}/bookings/${booked.reference}`, shopCookie],
    [`/console/shop/${shop.id}/reviews`, shopCookie], [`/console/shop/${shop.id}/profile`, shopCookie],
    [`/console/shop/${shop.id}/webhooks`, shopCookie], [`/console/shop/${shop.id}/snippet`, shopCookie],
    [`/console/shop/${shop.id}/messages`, shopCookie], [`/console/shop/${shop.id}/messages?lang=en`, shopCookie],
    // The pages behind the links messages carry.
    [`/v1/bookings/${booked.manage_token}/unsubscribe`], [`/v1/bookings/${booked.manage_token}/attend`],
    [`/v1/bookings/${booked.manage_token}/line`],
    [`/v1/bookings/not-a-token/unsubscribe`], [`/v1/shops/${shop.id}/alerts/unsubscribe?key=wrong`],
    [`/console/shop/${shop.id}/bookings?lang=en`, shopCookie],
    ["/console/admin", adminCookie], ["/console/admin/moderation", adminCookie], ["/console/admin/audit", adminCookie],
    ["/console/admin?lang=en", adminCookie],
    // What a person sees when something is wrong.
    [`/console/shop/${shop.id}/bookings/ZZZZ-ZZZZ`, shopCookie], [`/console/shop/${id}/bookings`, shopCookie],
    [`/shops/${id}/review?code=ZZZZ-ZZZY`],
  ];
  const dir = mkdtempSync(join(tmpdir(), "vnu-"));
  const files = [];
  try {
    for (const [path, cookie] of pages) {
      const res = await fetch(`${EDGE_URL}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/, `${path} is a page (${res.status})`);
      const file = join(dir, `${files.length}.html`);
      writeFileSync(file, await res.text());
      files.push([file, path]);
    }
    let out = "";
    try {
      execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...files.map(([f]) => f)], { stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      out = String(e.stderr || e.stdout);
    }
    const messages = out ? JSON.parse(out).messages : [];
    const named = messages.map((m) => `${files.find(([f]) => m.url.endsWith(f))?.[1] ?? m.url}:${m.lastLine}: ${m.message}`);
    assert.deepEqual(named, [], "Nu Html Checker errors");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
