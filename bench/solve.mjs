// Measures the captcha solve in headless Chromium: time from ticking the box to
// "Verificado", the solver's own `took`, and its hash rate, with and without 4x
// CPU throttling. Prints figures; asserts nothing.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

// Playwright is installed under end2end/.
const require = createRequire(`${process.env.CLAVE_ROOT}/end2end/package.json`);
const { chromium } = require("playwright");

const [base, runsArg] = process.argv.slice(2);
// Step 1's path, from the step table (`clave steps`, see scripts/env.sh).
const search = JSON.parse(readFileSync(process.env.CLAVE_STEPS, "utf8")).RecoverySearch.path;
const runs = Number(runsArg || 12);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { mean, median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}

for (const throttle of [1, 4]) {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  const wall = [], took = [], rates = [];
  let maxnumber = 0;
  for (let i = 0; i < runs; i++) {
    await page.goto(`${base}${search}`);
    await page.waitForFunction(() => document.body.dataset.hydrated === "true");
    const t0 = Date.now();
    await page.getByLabel("No soy un robot").check();
    await page.getByRole("status").filter({ hasText: "Verificado" }).waitFor({ timeout: 120000 });
    wall.push(Date.now() - t0);
    const payload = await page.locator('input[name="captcha"]').inputValue();
    const sol = JSON.parse(Buffer.from(payload, "base64").toString());
    took.push(sol.took);
    if (sol.took > 0) rates.push(sol.number / (sol.took / 1000));
    if (!maxnumber) {
      const r = await page.request.get(`${base}/api/captcha/challenge`, { headers: { accept: "application/json" } });
      maxnumber = (await r.json()).maxnumber;
    }
  }
  const w = stats(wall), t = stats(took), r = stats(rates);
  const expected = maxnumber / 2 / r.median;
  console.log(`CPU throttling ${throttle}x, maxnumber ${maxnumber}:`);
  console.log(`  click→Verificado ms: mean ${w.mean.toFixed(0)}, median ${w.median}, max ${w.max}`);
  console.log(`  solver took ms:      mean ${t.mean.toFixed(0)}, median ${t.median}, max ${t.max}`);
  console.log(`  hash rate:           median ${(r.median / 1e6).toFixed(2)} M/s`);
  console.log(`  expected mean solve: ${(expected).toFixed(2)} s (maxnumber/2 ÷ rate; target ≤ 1.5 s)`);
  await page.close();
}
await browser.close();
