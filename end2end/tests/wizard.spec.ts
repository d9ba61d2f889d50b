import { expect, Page, Route, test, TestInfo } from "@playwright/test";
import { UNREGISTERED, documentLoads, expectStep, passCaptcha, ready, step } from "./helpers";

/**
 * What the wizard does in the browser with JavaScript (src/wizard.rs): Back
 * and Forward, and a post the server cannot answer. The projects without
 * JavaScript do not run this file (playwright.config.ts): there every step
 * is the page load the journeys already walk.
 */

const cedulaField = (page: Page) => page.getByLabel("¿Cuál es su número de cédula?");

/** Step 1 filled in and the captcha solved, ready to post. */
async function filledSearch(page: Page, testInfo: TestInfo) {
  await page.goto(step("RecoverySearch").path);
  await ready(page, testInfo);
  await cedulaField(page).fill(UNREGISTERED);
  await passCaptcha(page, testInfo);
}

/** Every post of the page goes to `handler` instead of the server. */
async function interceptPosts(page: Page, handler: (route: Route) => Promise<void> | void) {
  await page.route("**/*", (route) => (route.request().method() === "POST" ? handler(route) : route.continue()));
}

/** Nothing was replaced: the address, the typed cédula and the ticked box are as they were. */
async function expectKept(page: Page) {
  await expect(page).toHaveURL(new RegExp(`${step("RecoverySearch").path}$`));
  await expect(cedulaField(page)).toHaveValue(UNREGISTERED);
  await expect(page.getByLabel("No soy un robot")).toBeChecked();
}

/** The same button again, the server back: the next step, still in the same document. */
async function sendAgain(page: Page, testInfo: TestInfo, loads: () => number) {
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.getByRole("button", { name: "Buscar" }).click();
  // In place (told, since a test's installed clock also replaces the
  // `performance` that would tell it).
  await expectStep(page, testInfo, "RecoveryIdentity", "¿Cuál es su fecha de nacimiento?", true);
  expect(loads(), "documents loaded").toBe(1);
}

test.describe("The wizard in the browser", () => {
  for (const [search, identity, heading] of [
    ["RecoverySearch", "RecoveryIdentity", "¿Cuál es su fecha de nacimiento?"],
    ["RequestSearch", "RequestIdentity", "Confirme su identidad"],
  ]) {
    test(`Back and Forward show the steps the addresses name, in the same document (${search})`, async ({ page }, testInfo) => {
      const loads = documentLoads(page);
      await page.goto(step(search).path);
      await ready(page, testInfo);
      await cedulaField(page).fill(UNREGISTERED);
      await passCaptcha(page, testInfo);
      await page.getByRole("button", { name: "Buscar" }).click();
      await expectStep(page, testInfo, identity, heading);
      // Step 1 again, at the address this document was loaded with.
      await page.goBack();
      await expectStep(page, testInfo, search, "¿Cuál es su número de cédula?", true);
      await page.goForward();
      await expectStep(page, testInfo, identity, heading);
      // The step's back link is shown in place too.
      await page.getByRole("link", { name: "Volver" }).click();
      await expectStep(page, testInfo, search, "¿Cuál es su número de cédula?", true);
      expect(loads(), "documents loaded").toBe(1);
    });
  }

  test("a server that cannot be reached: what was typed stays, a live region says so, the same button sends again", async ({
    page,
  }, testInfo) => {
    const loads = documentLoads(page);
    await filledSearch(page, testInfo);
    await interceptPosts(page, (route) => route.abort("connectionrefused"));
    await page.getByRole("button", { name: "Buscar" }).click();
    const said = /^No pudimos comunicarnos con el servidor\. Lo que escribió sigue aquí/;
    await expect(page.locator(".wizard-status")).toHaveText(said);
    await expect(page.locator("main .wizard-problem")).toHaveText(said);
    await expectKept(page);
    await sendAgain(page, testInfo, loads);
  });

  test("a server too busy (503, Retry-After): what was typed stays and the wait is said", async ({ page }, testInfo) => {
    const loads = documentLoads(page);
    await filledSearch(page, testInfo);
    await interceptPosts(page, (route) =>
      route.fulfill({ status: 503, headers: { "retry-after": "7" }, contentType: "text/html", body: "<main><h1>Ocupado</h1></main>" }),
    );
    await page.getByRole("button", { name: "Buscar" }).click();
    const said =
      "El sistema está muy ocupado en este momento. Lo que escribió sigue aquí: vuelva a intentarlo en 7 segundos.";
    await expect(page.locator(".wizard-status")).toHaveText(said);
    await expect(page.locator("main .wizard-problem")).toHaveText(said);
    await expectKept(page);
    await sendAgain(page, testInfo, loads);
  });

  test("a step with no answer after 30 seconds is given up: what was typed stays and it may be sent again", async ({
    page,
  }, testInfo) => {
    const loads = documentLoads(page);
    await filledSearch(page, testInfo);
    await page.clock.install();
    // The post is held and never answered.
    await interceptPosts(page, () => {});
    await page.getByRole("button", { name: "Buscar" }).click();
    await page.clock.runFor(29_000);
    await expect(page.locator(".wizard-status")).toHaveText("");
    await page.clock.runFor(2_000);
    await expect(page.locator(".wizard-status")).toHaveText(/^No pudimos comunicarnos con el servidor/);
    await expectKept(page);
    await sendAgain(page, testInfo, loads);
  });
});
