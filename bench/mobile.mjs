// Step 1 on a slow phone: Chromium with 1.6 Mbps down, 0.75 Mbps up, 150 ms
// round trip and 4x CPU slowdown, an empty cache on every run. Prints, per run
// and as medians, when the page was first painted, when its captcha widget was
// live (its island hydrated) — both from the start of navigation — and how
// long the captcha took to say "Verificado" after the box was ticked.
// Prints figures; asserts nothing. Usage: node mobile.mjs BASE_URL STEP1_PATH [runs]
import { createRequire } from "node:module";

// Playwright is installed under end2end/.
const require = createRequire(`${process.env.CLAVE_ROOT}/end2end/package.json`);
const { chromium } = require("playwright");

const [base, path, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const paint = [], live = [], verified = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.goto(`${base}${path}`, { waitUntil: "commit" });
  await page.waitForFunction(() => document.body?.dataset.hydrated === "true", null, { timeout: 120_000 });
  const t = await page.evaluate(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    return { paint: fcp ? fcp.startTime : NaN, live: performance.now() };
  });
  const t0 = Date.now();
  await page.getByLabel("No soy un robot").check();
  await page.getByRole("status").filter({ hasText: "Verificado" }).waitFor({ timeout: 120_000 });
  const v = Date.now() - t0;
  paint.push(t.paint);
  live.push(t.live);
  verified.push(v);
  console.log(`run ${i + 1}: painted ${(t.paint / 1000).toFixed(2)} s, captcha live ${(t.live / 1000).toFixed(2)} s, Verificado ${(v / 1000).toFixed(2)} s after the tick`);
  await context.close();
}
console.log(
  `median of ${runs}: painted ${(median(paint) / 1000).toFixed(2)} s, captcha live ${(median(live) / 1000).toFixed(2)} s (target <= 3 s), Verificado ${(median(verified) / 1000).toFixed(2)} s after the tick`,
);
await browser.close();
