// Lighthouse's accessibility score (issue 20, item 7) of every page of the
// page table that a visit opens with nothing in hand (`needs: Nothing`), on a
// phone (Lighthouse's default) and on a desktop, in Spanish and in English (as
// a first visit asking for it with Accept-Language). (Lighthouse refuses to score
// a document answered 404, so the 404 page is left to the journeys' checks.) Prints
// one line per page and form factor; any score under 100 fails the run,
// naming the audits that failed. Run by scripts/test.sh against the release
// server of the end-to-end stage (CLAVE_BASE_URL, CLAVE_STEPS).
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { chromium } from "@playwright/test";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const base = process.env.CLAVE_BASE_URL;
const steps = process.env.CLAVE_STEPS;
if (!base || !steps) throw new Error("CLAVE_BASE_URL and CLAVE_STEPS are set by scripts/test.sh");

const table = JSON.parse(readFileSync(steps, "utf8"));
const pages = Object.entries(table)
  .filter(([, page]) => page.needs === "Nothing" && page.path !== null)
  .map(([name, page]) => [name, page.path]);

const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [`--remote-debugging-port=${port}`, "--no-sandbox", "--disable-gpu", "--no-first-run"],
});

const failures = [];
try {
  for (const [lang, acceptLanguage] of [["es", "es-EC,es;q=0.9"], ["en", "en-US,en;q=0.9"]]) {
    for (const [formFactor, config] of [["phone", undefined], ["desktop", desktopConfig]]) {
      for (const [name, path] of pages) {
        // The page answers in the language asked for, or the run scores the wrong one.
        const html = await (await fetch(new URL(path, base), { headers: { "Accept-Language": acceptLanguage } })).text();
        const tag = /<html[^>]* lang="([^"]+)"/.exec(html)?.[1];
        if (!tag?.startsWith(lang)) throw new Error(`${name} answered lang=${tag} to Accept-Language ${acceptLanguage}`);
        const result = await lighthouse(
          new URL(path, base).toString(),
          {
            port,
            output: "json",
            logLevel: "error",
            onlyCategories: ["accessibility"],
            extraHeaders: { "Accept-Language": acceptLanguage },
          },
          config,
        );
        const { categories, audits, runtimeError } = result.lhr;
        if (runtimeError) throw new Error(`${name} (${formFactor}, ${lang}): ${runtimeError.code} ${runtimeError.message}`);
        const score = Math.round((categories.accessibility.score ?? 0) * 100);
        const failed = categories.accessibility.auditRefs
          .filter((ref) => ref.weight > 0 && audits[ref.id].score !== null && audits[ref.id].score < 1)
          .map((ref) => ref.id);
        console.log(`lighthouse accessibility ${String(score).padStart(3)}  ${lang} ${formFactor.padEnd(7)} ${name} (${path})${failed.length ? "  failed: " + failed.join(", ") : ""}`);
        if (score < 100) failures.push(`${name} on the ${formFactor} in ${lang}: ${score} (${failed.join(", ")})`);
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`lighthouse: ${pages.length} pages × 2 form factors × 2 languages, ${failures.length} under 100`);
if (failures.length > 0) {
  console.error(`under 100:\n${failures.join("\n")}`);
  process.exit(1);
}
