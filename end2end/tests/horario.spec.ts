import { expect, test } from "@playwright/test";
import { expectAccessiblePage, jsEnabled, ready, step } from "./helpers";

test.describe("Horario de atención", () => {
  test("open or closed now, and the hours in the visitor's zone when it differs", async ({ browser }, testInfo) => {
    for (const [zone, expectLocal] of [
      ["Europe/Madrid", true],
      ["America/Guayaquil", false],
    ] as const) {
      const ctx = await browser.newContext({
        ...testInfo.project.use,
        baseURL: testInfo.project.use.baseURL,
        timezoneId: zone,
      });
      const page = await ctx.newPage();
      await page.goto(step("Contact").path);
      await ready(page, testInfo);
      const main = page.getByRole("main");
      await expect(main.locator(".office-hours")).toContainText("08:00 a 17:00 (hora de Ecuador)");
      await expect(main.locator(".office-hours")).toContainText(/(Abierto|Cerrado) ahora\./);
      const local = main.locator(".office-hours-local");
      if (jsEnabled(testInfo) && expectLocal) {
        // Computed by the browser for its own zone (Madrid is 6 or 7 hours ahead).
        const expected = await page.evaluate(() => {
          const fmt = (h: number) => {
            const d = new Date();
            const utc = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), h + 5, 0);
            const x = new Date(utc);
            return `${String(x.getHours()).padStart(2, "0")}:${String(x.getMinutes()).padStart(2, "0")}`;
          };
          return `En su hora local: ${fmt(8)} a ${fmt(17)}.`;
        });
        await expect(local).toHaveText(expected);
        expect(expected).not.toBe("En su hora local: 08:00 a 17:00.");
      } else {
        // Without JavaScript, or in Ecuador's own zone, only Ecuador's hours.
        await expect(local).toHaveCount(0);
      }
      await expectAccessiblePage(page, testInfo);
      await ctx.close();
    }
  });
});
