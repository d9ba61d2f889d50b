import { expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const DEMO_WITH_CLAVE = "1712345675";
/** Well-formed but not in the registry: must behave exactly like a registered one. */
export const UNREGISTERED = "1714307103";

export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * Zero axe-core violations for WCAG 2.0/2.1/2.2 A and AA. Without JavaScript the
 * page itself cannot run axe, so its HTML is checked in a scripted page instead.
 */
export async function expectNoAxeViolations(page: Page, testInfo: TestInfo) {
  let target = page;
  let scratch: Page | null = null;
  if (!jsEnabled(testInfo)) {
    const browser = page.context().browser()!;
    const ctx = await browser.newContext({
      javaScriptEnabled: true,
      viewport: page.viewportSize() ?? undefined,
    });
    scratch = await ctx.newPage();
    const html = await page.content();
    // Same origin, so the stylesheet applies and colour contrast is real.
    await scratch.route("**/__axe_snapshot", (route) =>
      route.fulfill({ contentType: "text/html", body: stripScripts(html) }),
    );
    await scratch.goto(new URL("/__axe_snapshot", page.url()).toString());
    target = scratch;
  }
  const results = await new AxeBuilder({ page: target })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  if (scratch) await scratch.context().close();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, "axe violations").toEqual([]);
}

function stripScripts(html: string): string {
  return html.replace(/<script\b[\s\S]*?<\/script>/gi, "");
}

/** Ticks "No soy un robot"; with JavaScript, waits for the proof of work. */
export async function passCaptcha(page: Page, testInfo: TestInfo) {
  await page.getByLabel("No soy un robot").check();
  if (jsEnabled(testInfo)) {
    await expect(page.getByRole("status")).toHaveText(/Verificado/, { timeout: 30_000 });
  }
}

/** Waits until the page is interactive (hydrated) when JavaScript runs. */
export async function ready(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) {
    await page.waitForFunction(() => document.body.dataset.hydrated === "true");
  }
}
