import { expect, Page, test, TestInfo } from "@playwright/test";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { DEMO_CLAVE, Person, RECOVERY_PEOPLE, REPLACE_EMAIL_PEOPLE, answerFor, documentLoads, expectAccessiblePage, expectCodeLinkPage, openCodeLink, expectStep, jsEnabled, mailedCode, newestMail, passCaptcha, ready, at, step } from "./helpers";

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

async function search(page: Page, testInfo: TestInfo, who: Person) {
  await page.goto(step("RecoverySearch").path);
  await ready(page, testInfo);
  await page.getByLabel("¿Cuál es su número de cédula?").fill(who.cedula);
  await passCaptcha(page, testInfo);
  await page.getByRole("button", { name: "Buscar" }).click();
  await expectStep(page, testInfo, "RecoveryIdentity", "¿Cuál es su fecha de nacimiento?");
}

async function identity(page: Page, testInfo: TestInfo, who: Person) {
  // With JavaScript a day that cannot be is told on leaving the field.
  await page.getByLabel("Día").fill("32");
  await page.getByLabel("Día").press("Tab");
  await expect(page.locator(".live-check")).toHaveText(
    jsEnabled(testInfo) ? "Error: El día debe ser un número del 1 al 31." : "",
  );
  // A wrong date first: the error state, then the right one.
  await page.getByLabel("Día").fill(who.day === "1" ? "2" : "1");
  await page.getByLabel("Mes").fill(who.month);
  await page.getByRole("button", { name: "Continuar" }).click();
  await expect(page.locator(".error-summary")).toContainText("no coincide");
  await expect(page).toHaveTitle(/^Error: /);
  await expectAccessiblePage(page, testInfo);
  await page.getByLabel("Día").fill(who.day);
  await page.getByLabel("Mes").fill(who.month);
  await page.getByRole("button", { name: "Continuar" }).click();
  await expectStep(page, testInfo, "RecoveryConfirm", "Confirme sus datos");
  await expect(page.locator(".masked-email")).toHaveText(/^\S\*+\S?@\S\*+\./);
  await expect(page.locator(".masked-name")).toContainText("*");
}

async function enterCode(page: Page, testInfo: TestInfo, who: Person, email: string, since: number) {
  await expectStep(page, testInfo, "RecoveryCode", "Escriba el código que le enviamos");
  await expect(page.locator(".code-deadline")).toHaveText(/^\d{2}:\d{2}$/);
  const { code, link } = await mailedCode(page, email, since);
  // A wrong code: the error state.
  await page.getByLabel("Escriba el código que le enviamos").fill(code === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Continuar" }).click();
  await expect(page.locator(".error-summary")).toContainText("no es correcto");
  await expectAccessiblePage(page, testInfo);
  if (testInfo.project.name.startsWith("phone")) {
    await openCodeLink(page, testInfo, link);
    await page.getByRole("button", { name: "Confirmar el código" }).click();
  } else {
    await expectCodeLinkPage(page, testInfo, link);
    await page.getByLabel("Escriba el código que le enviamos").fill(`${code.slice(0, 3)} ${code.slice(3)}`);
    await page.getByRole("button", { name: "Continuar" }).click();
  }
  void who;
}

async function newClave(page: Page, testInfo: TestInfo, clave: string) {
  await expectStep(page, testInfo, "RecoveryNewClave", "Cree su nueva clave");
  const field = page.getByLabel("Nueva clave", { exact: true });
  await expect(field).toHaveAttribute("autocomplete", "new-password");
  await field.fill("corta");
  await page.getByRole("button", { name: "Generar" }).click();
  await expect(page.locator(".error-summary")).toContainText("al menos 12 caracteres");
  await expectAccessiblePage(page, testInfo);
  await field.fill(clave);
  if (jsEnabled(testInfo)) {
    await expect(page.locator(".strength-label")).toContainText("Seguridad:");
    await page.getByRole("button", { name: /Mostrar/ }).click();
    await expect(field).toHaveAttribute("type", "text");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("button", { name: /Ocultar/ }).click();
    await expect(field).toHaveAttribute("type", "password");
  }
  await page.getByRole("button", { name: "Generar" }).click();
  await expectStep(page, testInfo, "RecoveryDone", "Su clave se ha restablecido correctamente");
}

/**
 * With JavaScript a journey from step 1 to its end is one document: the
 * wizard shows every step in place. Opening the mailed link (the phone
 * projects) is a document of its own, as it comes from the mail app.
 */
function expectOneDocument(testInfo: TestInfo, loads: number) {
  if (!jsEnabled(testInfo)) return;
  const fromMail = testInfo.project.name.startsWith("phone") ? 1 : 0;
  expect(loads, "documents loaded from step 1 to the end").toBe(1 + fromMail);
}

async function login(page: Page, testInfo: TestInfo, cedula: string, clave: string) {
  await page.goto(step("SignIn").path);
  await ready(page, testInfo);
  await page.getByLabel("Número de cédula").fill(cedula);
  await page.getByLabel("Clave", { exact: true }).fill(clave);
  await page.getByRole("button", { name: "Ingresar" }).click();
}

test.describe("Recuperar clave · pasos 2 a 8", () => {
  test("a whole recovery, then login with the new clave and not the old", async ({ page }, testInfo) => {
    const who = RECOVERY_PEOPLE[testInfo.project.name];
    const clave = `tortuga lenta cruza ${testInfo.project.name}`;
    const loads = documentLoads(page);
    await search(page, testInfo, who);
    await identity(page, testInfo, who);
    const since = Date.now() - 2_000;
    await page.getByRole("button", { name: "Enviar código" }).click();
    await enterCode(page, testInfo, who, who.email, since);

    await expectStep(page, testInfo, "RecoveryQuestions", "Responda sus preguntas de seguridad");
    const labels = page.locator("form label");
    await expect(labels).toHaveCount(2);
    await page.getByRole("button", { name: "Continuar" }).click();
    await expect(page.locator(".error-summary")).toContainText("Escriba su respuesta");
    await expectAccessiblePage(page, testInfo);
    for (const i of [0, 1]) {
      const q = (await labels.nth(i).textContent())!;
      await page.getByLabel(q).fill(answerFor(q).toUpperCase());
    }
    await page.getByRole("button", { name: "Continuar" }).click();

    await newClave(page, testInfo, clave);
    expectOneDocument(testInfo, loads());
    const notice = await newestMail(page, who.email, /clave.*cambió/, since);
    expect(notice.text).toContain(`${step("NotMe").path}?t=`);
    expect(notice.text).not.toContain(clave);
    await page.getByRole("link", { name: "Finalizar" }).click();
    await expect(page).toHaveURL(/\/ingresar$/);

    await login(page, testInfo, who.cedula, DEMO_CLAVE);
    await expect(page.locator(".error-summary")).toContainText("no son correctas");
    await expectAccessiblePage(page, testInfo);
    await login(page, testInfo, who.cedula, clave);
    await expectStep(page, testInfo, /\/servicios$/, "Servicios en línea");
    await expect(page.locator(".affiliate-name")).toHaveText(who.name);
    await page.getByRole("button", { name: "Seguir" }).click();
    await expect(h1(page)).toHaveText("Servicios en línea");
    await page.getByRole("button", { name: "Salir" }).click();
    await expect(page).toHaveURL(/\/ingresar\?salio=1$/);
    await expect(page.locator(".status-message")).toContainText("salió");
    await page.goto(step("Services").path);
    await expect(h1(page)).toHaveText("Su sesión terminó");
  });

  test("without the registered e-mail: four answers, a new address, and «no fui yo»", async ({ page }, testInfo) => {
    const who = REPLACE_EMAIL_PEOPLE[testInfo.project.name];
    const newEmail = `nuevo.${testInfo.project.name}@example.org`;
    const clave = `girasoles del valle ${testInfo.project.name}`;
    const loads = documentLoads(page);
    await search(page, testInfo, who);
    await identity(page, testInfo, who);
    await page.getByRole("button", { name: "No tengo acceso a este correo" }).click();
    await expectStep(page, testInfo, "RecoveryAllAnswers", "Responda sus preguntas de seguridad");
    const labels = page.locator("form label");
    await expect(labels).toHaveCount(4);
    for (const i of [0, 1, 2, 3]) {
      const q = (await labels.nth(i).textContent())!;
      await page.getByLabel(q).fill(answerFor(q));
    }
    await page.getByRole("button", { name: "Continuar" }).click();
    await expectStep(page, testInfo, "RecoveryNewEmail", "¿A qué correo le enviamos el código?");
    const since = Date.now() - 2_000;
    await page.getByLabel("¿A qué correo le enviamos el código?").fill(newEmail);
    await page.getByRole("button", { name: "Enviar código" }).click();
    await enterCode(page, testInfo, who, newEmail, since);
    await newClave(page, testInfo, clave);
    expectOneDocument(testInfo, loads());

    const notice = await newestMail(page, who.email, /correo/, since);
    const link = /(https?:\/\/\S+\/no-fui-yo\?t=[0-9a-f]{64})/.exec(notice.text)![1];
    await page.goto(new URL(link).pathname + new URL(link).search);
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("¿Usted no hizo este cambio?");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("button", { name: "Bloquear mi cuenta" }).click();
    await expect(h1(page)).toHaveText("Bloqueamos su cuenta");
    await expect(page.locator(".case-number")).toHaveText(/^\d+$/);

    await login(page, testInfo, who.cedula, clave);
    await expect(h1(page)).toHaveText("Su cuenta está bloqueada");
    await expect(page.getByRole("link", { name: "Pedir que me llamen" })).toHaveAttribute("href", step("Callback").path);
    await expectAccessiblePage(page, testInfo);
  });

  test("a later step cannot be opened early, and an expired flow explains itself", async ({ page }, testInfo) => {
    await page.goto(step("RecoveryNewClave").path);
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("Empiece de nuevo");
    await expectAccessiblePage(page, testInfo);
    const who = RECOVERY_PEOPLE[testInfo.project.name];
    await search(page, testInfo, { ...who, cedula: "1714307103" });
    await page.goto(step("RecoveryCode").path);
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("Continúe su trámite");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("link", { name: "Continuar" }).click();
    await expect(page).toHaveURL(at("RecoveryIdentity"));
  });

  test("a step says until when the flow stays open, warns two minutes before, and «Ampliar el tiempo» extends it", async ({ page }, testInfo) => {
    const who = RECOVERY_PEOPLE[testInfo.project.name];
    await search(page, testInfo, { ...who, cedula: "1714307103" });
    const limit = page.locator(".time-limit");
    await expect(limit.locator(".flow-deadline")).toHaveText(/^\d{2}:\d{2}$/);
    if (jsEnabled(testInfo)) {
      // The browser's clock, from a reload of the same step: 13 of the 15
      // minutes pass and the live region says so, without moving the focus.
      await page.clock.install();
      await page.reload();
      await ready(page, testInfo);
      await page.getByLabel("Día").fill("7");
      await expect(limit.locator(".time-limit-status")).toHaveText("");
      // The clock also runs on its own meanwhile: 12:45 leaves a margin.
      await page.clock.fastForward("12:45");
      await expect(limit.locator(".time-limit-status")).toHaveText("");
      await expect(page.getByRole("dialog")).toBeHidden();
      await page.clock.fastForward("00:30");
      const warned = /^Su trámite se cerrará a las \d{2}:\d{2} por inactividad/;
      await expect(limit.locator(".time-limit-status")).toHaveText(warned);
      // A dialog takes the focus: its own button extends in place.
      const dialog = page.getByRole("dialog", { name: "¿Necesita más tiempo?" });
      await expect(dialog).toBeVisible();
      await expect(dialog).toHaveAccessibleDescription(warned);
      await expect(dialog.getByRole("button", { name: "Ampliar el tiempo" })).toBeFocused();
      await expectAccessiblePage(page, testInfo);
      const loads = { count: 0 };
      page.on("framenavigated", (f) => {
        if (f === page.mainFrame()) loads.count += 1;
      });
      await dialog.getByRole("button", { name: "Ampliar el tiempo" }).click();
      await expect(dialog).toBeHidden();
      await expect(limit.locator(".time-limit-status")).toHaveText(/^Le dimos más tiempo: su trámite seguirá abierto hasta las \d{2}:\d{2}\.$/);
      // Nothing typed is lost and the focus is back where it was.
      await expect(page.getByLabel("Día")).toHaveValue("7");
      await expect(page.getByLabel("Día")).toBeFocused();
      expect(loads.count).toBe(0);
    } else {
      await page.getByRole("button", { name: "Ampliar el tiempo" }).click();
      await expect(page).toHaveURL(at("RecoveryIdentity", { query: true }));
      await expect(h1(page)).toHaveText("¿Cuál es su fecha de nacimiento?");
      await expect(limit).toContainText("Le dimos más tiempo.");
    }
    await expect(limit.locator(".flow-deadline")).toHaveText(/^\d{2}:\d{2}$/);
    await expectAccessiblePage(page, testInfo);
  });

  test("a flow left idle past its deadline says so, keeps nothing and starts again", async ({ page }, testInfo) => {
    const who = RECOVERY_PEOPLE[testInfo.project.name];
    await search(page, testInfo, { ...who, cedula: "1714307103" });
    // Time passes: the flow's deadline (idle timeout) is moved into the past
    // in the server's database, as the clock would move it.
    const cookies = await page.context().cookies();
    const token = cookies.find((c) => c.name.endsWith("clave_flow"))!.value;
    const id = createHash("sha256").update(token).digest("hex");
    execFileSync("python3", [
      "-c",
      "import sqlite3, sys\n" +
        "db = sqlite3.connect(sys.argv[1], timeout=30)\n" +
        "n = db.execute('UPDATE recovery_flow SET expires_at = 0 WHERE id = ?', (sys.argv[2],)).rowcount\n" +
        "db.commit()\n" +
        "assert n == 1, n",
      process.env.CLAVE_E2E_DB!,
      id,
    ]);
    await page.getByLabel("Día").fill("1");
    await page.getByLabel("Mes").fill("1");
    await page.getByRole("button", { name: "Continuar" }).click();
    await expect(h1(page)).toHaveText("Empiece de nuevo");
    await expect(page.getByText("Su trámite caducó por inactividad")).toBeVisible();
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("link", { name: "Volver a empezar" }).click();
    await expect(page).toHaveURL(/\/recuperar(\/buscar)?$/);
    await expect(page.getByLabel("¿Cuál es su número de cédula?")).toHaveValue("");
  });
});
