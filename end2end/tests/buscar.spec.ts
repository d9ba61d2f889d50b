import { expect, Page, test } from "@playwright/test";
import { createHash } from "node:crypto";
import { DEMO_WITH_CLAVE, UNREGISTERED, expectAccessiblePage, jsEnabled, passCaptcha, ready, at, step, pagesNeeding, LISTED } from "./helpers";

test.describe("Recuperar clave · paso 1 (Buscar)", () => {
  test("start page leads to the search step", async ({ page }, testInfo) => {
    await page.goto(step("Home").path);
    await ready(page, testInfo);
    await expectAccessiblePage(page, testInfo);
    // The header's two lines are read as one name with a pause, not run together.
    await expect(page.locator("header a").first()).toHaveAccessibleName(
      "Instituto de Seguridad Social, Clave de servicios en línea",
    );
    await page.getByRole("link", { name: "Recuperar clave" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Recuperar su clave");
    await expect(page).toHaveTitle("Recuperar clave – Clave");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("link", { name: "Comenzar" }).click();
    await expect(page).toHaveURL(at("RecoverySearch"));
    await expect(page.getByLabel("¿Cuál es su número de cédula?")).toBeVisible();
  });

  for (const [label, cedula] of [
    ["registered", DEMO_WITH_CLAVE],
    ["unregistered", UNREGISTERED],
  ]) {
    test(`a well-formed ${label} cédula reaches the identity step`, async ({ page }, testInfo) => {
      await page.goto(step("RecoverySearch").path);
      await ready(page, testInfo);
      await expect(page).toHaveTitle("Buscar su cédula – Recuperar clave – Clave");
      await expectAccessiblePage(page, testInfo);
      await page.getByLabel("¿Cuál es su número de cédula?").fill(cedula.slice(0, 9) + "-" + cedula[9]);
      await passCaptcha(page, testInfo);
      await page.getByRole("button", { name: "Buscar" }).click();
      await expect(page).toHaveURL(at("RecoveryIdentity"));
      await expect(page.locator(".cedula-echo")).toHaveText(cedula);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("¿Cuál es su fecha de nacimiento?");
      await expectAccessiblePage(page, testInfo);
    });
  }

  const invalid: [string, string, RegExp][] = [
    ["empty", "", /Ingrese su número de cédula/],
    ["length", "17143071", /10 dígitos/],
    ["digits", "17143O7103", /solo/i],
    ["province", "9914307103", /provincia/i],
    ["third digit", "1794307103", /tercer dígito/i],
    ["check digit", "1714307104", /último dígito|no es válid/i],
  ];
  for (const [rule, value, message] of invalid) {
    test(`invalid cédula (${rule}) shows the error and keeps the input`, async ({ page }, testInfo) => {
      await page.goto(step("RecoverySearch").path);
      await ready(page, testInfo);
      const field = page.getByLabel("¿Cuál es su número de cédula?");
      await field.fill(value);
      await passCaptcha(page, testInfo);
      await page.getByRole("button", { name: "Buscar" }).click();

      const summary = page.locator(".error-summary");
      await expect(summary).toBeVisible();
      await expect(summary).toBeFocused();
      await expect(page).toHaveTitle(/^Error: /);
      const link = summary.getByRole("link", { name: message });
      await expect(link).toBeVisible();
      const inline = page.locator("#cedula-error");
      await expect(inline).toContainText(await link.innerText());
      await expect(field).toHaveAttribute("aria-describedby", /cedula-error/);
      await expect(field).toHaveAttribute("aria-invalid", "true");
      await expect(field).toHaveValue(value);
      await expect(page).toHaveURL(at("RecoverySearch", { query: true }));
      await expectAccessiblePage(page, testInfo);
      if (jsEnabled(testInfo)) {
        await link.click();
        await expect(field).toBeFocused();
      }
    });
  }

  test("a refused cédula keeps the unspent proof of work and goes on without a new tick; without JavaScript the box is ticked again", async ({ page }, testInfo) => {
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    const field = page.getByLabel("¿Cuál es su número de cédula?");
    await field.fill("1714307104");
    await passCaptcha(page, testInfo);
    const proof = await page.locator('input[name="captcha"]').inputValue();
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page.locator(".error-summary")).toContainText(/último dígito|no es válid/i);
    await ready(page, testInfo);
    const box = page.getByLabel("No soy un robot");
    if (!jsEnabled(testInfo)) {
      // No proof of work to keep: the box is ticked again, and the stricter
      // limits without JavaScript stand in for it.
      expect(proof).toBe("");
      await expect(box).not.toBeChecked();
      await field.fill(UNREGISTERED);
      await box.check();
      await page.getByRole("button", { name: "Buscar" }).click();
      await expect(page).toHaveURL(at("RecoveryIdentity"));
      return;
    }
    await expect(box).toBeChecked();
    await expect(page.locator("#robot-status")).toHaveText("Verificado. Puede continuar.");
    await expect(page.locator('input[name="captcha"]')).toHaveValue(proof);
    await expectAccessiblePage(page, testInfo);
    await field.fill(UNREGISTERED);
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page).toHaveURL(at("RecoveryIdentity"));
  });

  test("the robot checkbox is required", async ({ page }, testInfo) => {
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill(DEMO_WITH_CLAVE);
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page.locator(".error-summary")).toContainText("No soy un robot");
    await expect(page.getByLabel("¿Cuál es su número de cédula?")).toHaveValue(DEMO_WITH_CLAVE);
    await expectAccessiblePage(page, testInfo);
  });

  test("leaving the cédula field checks it in the browser; without JavaScript the server does", async ({ page }, testInfo) => {
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    const field = page.getByLabel("¿Cuál es su número de cédula?");
    const live = page.locator(".live-check");
    await field.fill("1714307104");
    await field.press("Tab");
    if (jsEnabled(testInfo)) {
      await expect(live).toContainText(/último dígito|no es válid/i);
      await expectAccessiblePage(page, testInfo);
      await field.fill("1714307103");
      await field.press("Tab");
      await expect(live).toHaveText("");
    } else {
      await expect(live).toHaveText("");
      await page.getByRole("button", { name: "Buscar" }).click();
      await expect(page.locator("#cedula-error")).toContainText(/último dígito|no es válid/i);
    }
  });

  test("a captcha solution is accepted only once", async ({ page }, testInfo) => {
    if (!jsEnabled(testInfo)) {
      // A bot posting the plain form: the same solution twice.
      const payload = await solveInNode(page);
      const form = { cedula: DEMO_WITH_CLAVE, robot: "si", captcha: payload };
      const post = () =>
        page.request.post("/api/recuperar/buscar", {
          form,
          headers: { accept: "text/html", "sec-fetch-site": "same-origin" },
          maxRedirects: 0,
        });
      const first = await post();
      expect(first.status()).toBe(302);
      expect(first.headers()["location"]).toBe(step("RecoveryIdentity").path);
      const second = await post();
      expect(second.status()).toBe(303);
      await page.goto(second.headers()["location"]);
      await expect(page.locator(".error-summary")).toContainText("No pudimos confirmar que no es un robot");
      await expect(page.getByLabel("¿Cuál es su número de cédula?")).toHaveValue(DEMO_WITH_CLAVE);
      await expectAccessiblePage(page, testInfo);
      return;
    }
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill(DEMO_WITH_CLAVE);
    await passCaptcha(page, testInfo);
    const used = await page.locator('input[name="captcha"]').inputValue();
    expect(used.length).toBeGreaterThan(20);
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page).toHaveURL(at("RecoveryIdentity"));

    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill(DEMO_WITH_CLAVE);
    await passCaptcha(page, testInfo);
    // Put the spent solution back, as a replaying bot would.
    await page.locator('input[name="captcha"]').evaluate((el, v) => {
      (el as HTMLInputElement).value = v;
    }, used);
    await page.getByRole("button", { name: "Buscar" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toContainText("No pudimos confirmar que no es un robot");
    await expect(page).toHaveURL(at("RecoverySearch", { query: true }));
    await expect(page.getByLabel("¿Cuál es su número de cédula?")).toHaveValue(DEMO_WITH_CLAVE);
    await expectAccessiblePage(page, testInfo);
    // Ticked again, a fresh challenge is solved and the form goes through.
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page).toHaveURL(at("RecoveryIdentity"));
  });

  test("every page a visit opens with nothing in hand, the 404 page and the development mailbox pass the page checks", async ({
    page,
  }, testInfo) => {
    // From the page table: the pages that need nothing, and the development
    // mailbox (the journeys run the server in development mode).
    const pages = pagesNeeding("Nothing").concat(pagesNeeding("Development"));
    expect(pages.map(([name]) => name)).toEqual(expect.arrayContaining(["Home", "SignIn", "StaffSignIn", "DevMailbox"]));
    for (const [name, p] of pages) {
      await page.goto(p.path);
      await ready(page, testInfo);
      await expect(page, name).toHaveTitle(`${p.title} – Clave`);
      await expectAccessiblePage(page, testInfo);
    }
    // A refused search: the error summary and the field's message.
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill("123");
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page.locator(".error-summary")).toBeVisible();
    await expectAccessiblePage(page, testInfo);
    const missing = await page.goto("/no-existe");
    expect(missing?.status()).toBe(404);
    await expect(page).toHaveTitle(`${LISTED.NotFound.title} – Clave`);
    await expectAccessiblePage(page, testInfo);
  });

  test("the identity step without a flow offers a restart", async ({ page }, testInfo) => {
    await page.goto(step("RecoveryIdentity").path);
    await ready(page, testInfo);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Empiece de nuevo");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("link", { name: "Volver a empezar" }).click();
    await expect(page).toHaveURL(at("RecoverySearch"));
  });
});

/** Fetches a challenge and solves it the way the browser's WASM does. */
async function solveInNode(page: Page): Promise<string> {
  const res = await page.request.get("/api/captcha/challenge", { headers: { accept: "application/json" } });
  const c = await res.json();
  for (let n = 0; n <= c.maxnumber; n++) {
    if (createHash("sha256").update(c.salt + n).digest("hex") === c.challenge) {
      const solution = { algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature, took: 0 };
      return Buffer.from(JSON.stringify(solution)).toString("base64");
    }
  }
  throw new Error("challenge has no solution");
}
