import { expect, test } from "@playwright/test";
import { expectAccessiblePage, passCaptcha, ready, step, at, DEMO_WITH_CLAVE } from "./helpers";

// The titles in both languages come from the page table (`clave steps`).
const title = (name: string, lang: "es" | "en") => `${lang === "es" ? step(name).title : step(name).title_en} – Clave`;

test.describe("Idioma · English on a first visit", () => {
  test.use({ locale: "en-US" });

  test("a browser asking for English gets English pages until the person chooses Spanish", async ({ page }, testInfo) => {
    await page.goto(step("Home").path);
    await ready(page, testInfo);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle(title("Home", "en"));
    const switchButton = page.locator(".language-switch-button");
    await expect(switchButton).toHaveText("Español");
    await expect(switchButton).toHaveAttribute("lang", "es-EC");
    await expectAccessiblePage(page, testInfo);
    await switchButton.click();
    await expect(page).toHaveURL(at("Home"));
    await expect(page.locator("html")).toHaveAttribute("lang", "es-EC");
    await expect(page).toHaveTitle(title("Home", "es"));
    // The choice outlives the page: the next one is Spanish too.
    await page.goto(step("Contact").path);
    await expect(page.locator("html")).toHaveAttribute("lang", "es-EC");
    await expect(page).toHaveTitle(title("Contact", "es"));
  });
});

test.describe("Idioma · the switch keeps the step and what was typed", () => {
  test("signing in: the cédula comes back in the other language, the clave never", async ({ page }, testInfo) => {
    await page.goto(step("SignIn").path);
    await ready(page, testInfo);
    await page.locator("#cedula").fill(DEMO_WITH_CLAVE);
    await page.locator("#clave").fill("una clave que no viaja");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(at("SignIn"));
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle(title("SignIn", "en"));
    await expect(page.locator("#cedula")).toHaveValue(DEMO_WITH_CLAVE);
    await expect(page.locator("#clave")).toHaveValue("");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("button", { name: "Español" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "es-EC");
    await expect(page).toHaveTitle(title("SignIn", "es"));
    await expect(page.locator("#cedula")).toHaveValue(DEMO_WITH_CLAVE);
  });

  test("a step showing errors comes back without them, in the other language, with the value typed", async ({ page }, testInfo) => {
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill("17143071");
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page.locator(".error-summary")).toBeVisible();
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(at("RecoverySearch"));
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle(title("RecoverySearch", "en"));
    await expect(page.locator(".error-summary")).toHaveCount(0);
    await ready(page, testInfo);
    await expect(page.locator("#cedula")).toHaveValue("17143071");
    await expectAccessiblePage(page, testInfo);
  });

  test("after a step shown in place, the switch comes back to that step", async ({ page }, testInfo) => {
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill(DEMO_WITH_CLAVE);
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page).toHaveURL(at("RecoveryIdentity"));
    await ready(page, testInfo);
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(at("RecoveryIdentity"));
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle(title("RecoveryIdentity", "en"));
    await expect(page.locator(".cedula-echo")).toHaveText(DEMO_WITH_CLAVE);
    await expectAccessiblePage(page, testInfo);
  });
});
