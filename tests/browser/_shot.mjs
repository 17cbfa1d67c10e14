import { launch, phonePage } from "/work/main/tests/browser/helpers.mjs";
const b = await launch(); const p = await phonePage(b);
p.on("console", m => console.log("console:", m.text()));
await p.goto(process.argv[2]); await p.waitForTimeout(2500);
await p.screenshot({ path: process.argv[3], fullPage: true }); console.log(p.jsErrors); await b.close();
