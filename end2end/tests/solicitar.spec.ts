import { expect, Page, test, TestInfo } from "@playwright/test";
import { documentLoads, expectAccessiblePage, expectCodeLinkPage, openCodeLink, expectStep, jsEnabled, mailedCode, newestMail, passCaptcha, ready, at, step } from "./helpers";

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

interface Newcomer {
  cedula: string;
  day: string;
  month: string;
  year: string;
  dactilar: string;
  name: string;
}

/** Demo affiliates without a clave, one per project. */
const NEWCOMERS: Record<string, Newcomer> = {
  "desktop-js": { cedula: "1715556666", day: "17", month: "4", year: "1958", dactilar: "B1111C2222", name: "Gloria Inés Salazar Ruiz" },
  "desktop-nojs": { cedula: "0922334453", day: "31", month: "12", year: "1983", dactilar: "D3333E4444", name: "Jorge Luis Mendoza Vera" },
  "phone-js": { cedula: "1704443330", day: "8", month: "6", year: "1975", dactilar: "G5555H6666", name: "Ana Lucía Benítez Paz" },
  "phone-nojs": { cedula: "0501239875", day: "28", month: "2", year: "1962", dactilar: "J7777K8888", name: "Segundo Manuel Toapanta Caiza" },
};

/** Well-formed cédulas nobody has: locking them touches no other journey. */
const TO_LOCK: Record<string, string> = {
  "desktop-js": "1719998880",
  "desktop-nojs": "1728887777",
  "phone-js": "0907776660",
  "phone-nojs": "1106665555",
};

async function search(page: Page, testInfo: TestInfo, cedula: string) {
  await page.goto(step("RequestSearch").path);
  await ready(page, testInfo);
  await page.getByLabel("¿Cuál es su número de cédula?").fill(cedula);
  await passCaptcha(page, testInfo);
  await page.getByRole("button", { name: "Buscar" }).click();
  await expectStep(page, testInfo, "RequestIdentity", "Confirme su identidad");
}

async function proveIdentity(page: Page, date: [string, string, string], dactilar: string) {
  await page.getByLabel("Día").fill(date[0]);
  await page.getByLabel("Mes").fill(date[1]);
  await page.getByLabel("Año").fill(date[2]);
  await page.getByLabel("Código dactilar").fill(dactilar);
  await page.getByRole("button", { name: "Continuar" }).click();
}

test.describe("Solicitar clave", () => {
  // Runs before the first clave below (same person, who has no clave yet) and
  // stops at the questions, so that journey starts a flow of its own.
  test("back from the code to correct the address: the code goes to the corrected one", async ({ page }, testInfo) => {
    const who = NEWCOMERS[testInfo.project.name];
    const typo = `primera.${testInfo.project.name}@exampl.net`;
    const email = `primera.${testInfo.project.name}@example.net`;
    await search(page, testInfo, who.cedula);
    await proveIdentity(page, [who.day, who.month, who.year], who.dactilar);
    await expectStep(page, testInfo, "RequestContact", "¿Cómo le contactamos?");
    const since = Date.now() - 2_000;
    await page.getByLabel("Correo electrónico").fill(typo);
    await page.getByLabel("Celular (opcional)").fill("099 123 4567");
    await page.getByRole("button", { name: "Enviar código" }).click();
    await expectStep(page, testInfo, "RequestCode", "Escriba el código que le enviamos");
    const sentAt = Date.now();
    const { code: voided } = await mailedCode(page, typo, since);

    // The browser's Back (phone) or the step's back link (desktop) shows the
    // contact step again: the server shows what the flow holds (the phone as
    // stored), except that without JavaScript the browser's Back puts back
    // what was typed.
    const phone = testInfo.project.name.startsWith("phone");
    const typedBack = phone && !jsEnabled(testInfo);
    if (phone) await page.goBack();
    else await page.getByRole("link", { name: "Volver" }).click();
    await expectStep(page, testInfo, "RequestContact", "¿Cómo le contactamos?");
    await expect(page.getByLabel("Correo electrónico")).toHaveValue(typo);
    await expect(page.getByLabel("Celular (opcional)")).toHaveValue(typedBack ? "099 123 4567" : "+593991234567");
    await expect(page.locator(".correction-note")).toContainText("el anterior dejará de servir");

    // The resend cool-down of the test server (2 s) counts a correction too.
    await page.waitForTimeout(Math.max(0, sentAt + 2_500 - Date.now()));
    await page.getByLabel("Correo electrónico").fill(email);
    await page.getByRole("button", { name: "Enviar código" }).click();
    await expectStep(page, testInfo, "RequestCode", "Escriba el código que le enviamos");
    // Sent to the corrected address (masked: one more star in its domain).
    await expect(page.locator("p", { hasText: "Enviado a" }).locator("strong").first()).toHaveText(/^p\*+s@e\*{6}\.net$/);

    // The code sent to the mistyped address is void; the new one works.
    await page.getByLabel("Escriba el código que le enviamos").fill(voided);
    await page.getByRole("button", { name: "Continuar" }).click();
    await expect(page.locator(".error-summary")).toContainText("correo más reciente");
    await expectAccessiblePage(page, testInfo);
    const { code } = await mailedCode(page, email, sentAt);
    await page.getByLabel("Escriba el código que le enviamos").fill(code);
    await page.getByRole("button", { name: "Continuar" }).click();
    await expectStep(page, testInfo, "RequestQuestions", "Elija sus preguntas de seguridad");
  });

  test("a first clave: identity, contact, code, questions, clave, then login", async ({ page }, testInfo) => {
    const who = NEWCOMERS[testInfo.project.name];
    const email = `primera.${testInfo.project.name}@example.net`;
    const clave = `colibri sobre el volcan ${testInfo.project.name}`;
    await page.goto(step("Home").path);
    await page.getByRole("link", { name: "Solicitar clave" }).click();
    await expectStep(page, testInfo, "RequestStart", "Solicitar su clave por primera vez");
    await page.getByRole("link", { name: "Comenzar" }).click();
    await expect(page).toHaveURL(at("RequestSearch"));
    const loads = documentLoads(page);
    await search(page, testInfo, who.cedula);
    await expect(page.locator(".cedula-echo")).toHaveText(who.cedula);

    // Wrong código dactilar first: the same message an unknown cédula gets.
    await proveIdentity(page, [who.day, who.month, who.year], "Z9999Z9999");
    await expect(page.locator(".error-summary")).toContainText("no coinciden");
    await expect(page).toHaveTitle(/^Error: /);
    await expectAccessiblePage(page, testInfo);
    await proveIdentity(page, [who.day, who.month, who.year], who.dactilar.toLowerCase());
    await expectStep(page, testInfo, "RequestContact", "¿Cómo le contactamos?");

    // A landline is not a mobile.
    await page.getByLabel("Correo electrónico").fill(email);
    await page.getByLabel("Celular (opcional)").fill("02 250 1234");
    await page.getByRole("button", { name: "Enviar código" }).click();
    await expect(page.locator(".error-summary")).toContainText("celular");
    await expect(page.getByLabel("Correo electrónico")).toHaveValue(email);
    await expectAccessiblePage(page, testInfo);
    const since = Date.now() - 2_000;
    await page.getByLabel("Celular (opcional)").fill("099 123 4567");
    await page.getByRole("button", { name: "Enviar código" }).click();

    await expectStep(page, testInfo, "RequestCode", "Escriba el código que le enviamos");
    const { code, link } = await mailedCode(page, email, since);
    if (testInfo.project.name.startsWith("phone")) {
      await openCodeLink(page, testInfo, link);
      await page.getByRole("button", { name: "Confirmar el código" }).click();
    } else {
      await expectCodeLinkPage(page, testInfo, link);
      await page.getByLabel("Escriba el código que le enviamos").fill(code);
      await page.getByRole("button", { name: "Continuar" }).click();
    }

    await expectStep(page, testInfo, "RequestQuestions", "Elija sus preguntas de seguridad");
    // The same question twice is refused.
    for (const n of [1, 2, 3, 4]) {
      await page.getByLabel(`Pregunta ${n}`, { exact: true }).selectOption({ index: n === 3 ? 1 : n });
      await page.getByLabel(`Respuesta ${n}`).fill(`respuesta número ${n}`);
    }
    await page.getByRole("button", { name: "Continuar" }).click();
    await expect(page.locator(".error-summary")).toContainText("ya está elegida");
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("Pregunta 3", { exact: true }).selectOption({ index: 3 });
    for (const n of [1, 2, 3, 4]) {
      // Without JavaScript the answers are not sent back in the error's URL.
      await page.getByLabel(`Respuesta ${n}`).fill(`respuesta número ${n}`);
    }
    await page.getByRole("button", { name: "Continuar" }).click();

    await expectStep(page, testInfo, "RequestNewClave", "Cree su clave");
    await page.getByLabel("Nueva clave", { exact: true }).fill(clave);
    await page.getByRole("button", { name: "Generar" }).click();
    await expectStep(page, testInfo, "RequestDone", "Su clave se ha creado correctamente");
    if (jsEnabled(testInfo)) {
      // One document from step 1 to the end; the mailed link (phone) is its own.
      const fromMail = testInfo.project.name.startsWith("phone") ? 1 : 0;
      expect(loads(), "documents loaded from step 1 to the end").toBe(1 + fromMail);
    }
    const notice = await newestMail(page, email, /Se creó su clave/, since);
    expect(notice.text).toContain(`${step("NotMe").path}?t=`);
    expect(notice.text).not.toContain(clave);
    await page.getByRole("link", { name: "Finalizar" }).click();

    await expect(page).toHaveURL(/\/ingresar$/);
    await ready(page, testInfo);
    await page.getByLabel("Número de cédula").fill(who.cedula);
    await page.getByLabel("Clave", { exact: true }).fill(clave);
    await page.getByRole("button", { name: "Ingresar" }).click();
    await expectStep(page, testInfo, /\/servicios$/, "Servicios en línea");
    await expect(page.locator(".affiliate-name")).toHaveText(who.name);
  });

  test("a cédula with a clave is sent to recovery, one without to the request", async ({ page }, testInfo) => {
    const loads = documentLoads(page);
    await search(page, testInfo, "1712345675");
    await proveIdentity(page, ["14", "3", "1985"], "V4443V4242");
    await expect(h1(page)).toHaveText("Usted ya tiene una clave");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("main").getByRole("link", { name: "Recuperar clave" }).click();
    // With JavaScript the start page is shown in place too: its title, the
    // focus on its h1 and its announcement (expectStep), no document load.
    await expectStep(page, testInfo, "RecoveryStart", "Recuperar su clave");
    if (jsEnabled(testInfo)) expect(loads(), "documents loaded from step 1 to the start page").toBe(1);

    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill("0104567896");
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Buscar" }).click();
    await expect(page).toHaveURL(at("RecoveryIdentity"));
    await ready(page, testInfo);
    await page.getByLabel("Día").fill("30");
    await page.getByLabel("Mes").fill("1");
    await page.getByRole("button", { name: "Continuar" }).click();
    await expect(h1(page)).toHaveText("Usted todavía no tiene una clave");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("main").getByRole("link", { name: "Solicitar clave" }).click();
    await expectStep(page, testInfo, "RequestStart", "Solicitar su clave por primera vez");
    if (jsEnabled(testInfo)) expect(loads(), "documents loaded, the second from step 1 of the recovery").toBe(2);
  });

  test("five failed identity checks lock the cédula, and the locked page explains", async ({ page }, testInfo) => {
    const cedula = TO_LOCK[testInfo.project.name];
    await search(page, testInfo, cedula);
    for (const _ of [1, 2]) {
      await proveIdentity(page, ["1", "1", "1980"], "A1111A1111");
      await expect(page.locator(".error-summary")).toContainText("no coinciden");
    }
    await proveIdentity(page, ["1", "1", "1980"], "A1111A1111");
    await expect(h1(page)).toHaveText("No pudimos confirmar sus datos");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("link", { name: "Volver a empezar" }).click();
    await expect(page).toHaveURL(at("RequestSearch"));
    await search(page, testInfo, cedula);
    await proveIdentity(page, ["1", "1", "1980"], "A1111A1111");
    await expect(page.locator(".error-summary")).toContainText("no coinciden");
    await proveIdentity(page, ["1", "1", "1980"], "A1111A1111");
    await expect(h1(page)).toHaveText("Bloqueamos el acceso por un tiempo");
    await expect(page.locator(".lock-until strong")).toHaveText(/^\d{2}\/\d{2}\/\d{4} a las \d{2}:\d{2}$/);
    await expect(page.locator("main .office-hours")).toContainText("08:00 a 17:00");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("link", { name: "Pedir que me llamen" }).click();
    await expect(page).toHaveURL(at("Callback"));
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("Pedir que le llamemos");
    await expectAccessiblePage(page, testInfo);
  });
});
