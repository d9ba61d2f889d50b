import { expect, Page, test, TestInfo } from "@playwright/test";
import { expectAccessiblePage, expectStep, jsEnabled, mailedCode, nextStaffCode, passCaptcha, ready, totpCode, step, STAFF_CLAVE } from "./helpers";

/** Demo people living abroad with a clave and a locked account, one per project. */
const LOCKED_ABROAD: Record<string, { cedula: string; day: string; month: string; email: string; country: string; phone: string; e164: string }> = {
  "desktop-js": { cedula: "1718881111", day: "9", month: "6", email: "diana.vasquez@example.org", country: "España", phone: "612 34 56 78", e164: "+34612345678" },
  "desktop-nojs": { cedula: "0907772222", day: "30", month: "1", email: "hector.quishpe@example.org", country: "Estados Unidos", phone: "(201) 555-0123", e164: "+12015550123" },
  "phone-js": { cedula: "1716663339", day: "17", month: "10", email: "lucia.andrade@example.com", country: "Italia", phone: "312 345 6789", e164: "+393123456789" },
  "phone-nojs": { cedula: "0105554448", day: "3", month: "4", email: "manuel.cedeno@example.com", country: "España", phone: "+34 699 11 22 33", e164: "+34699112233" },
};

const agentOf = (testInfo: TestInfo) => `agente.${testInfo.project.name}`;
const supervisorOf = (testInfo: TestInfo) => `supervisor.${testInfo.project.name}`;

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

/** The password, then the second factor: enrolled from the page's secret on the first sign-in. */
async function staffLogin(page: Page, testInfo: TestInfo, username: string) {
  await staffPassword(page, testInfo, username);
  if ((await h1(page).textContent()) === ENROL) {
    await enrolFromPage(page);
  } else {
    await expect(h1(page)).toHaveText(VERIFY);
    await page.getByLabel("Código de verificación").fill(await nextStaffCode(username));
    await page.getByRole("button", { name: "Continuar" }).click();
  }
  await expectStep(page, testInfo, /\/personal$/, "Solicitudes de llamada");
}

const ENROL = "Configure su segundo factor";
const VERIFY = "Escriba su código de verificación";

async function staffPassword(page: Page, testInfo: TestInfo, username: string) {
  await page.goto(step("StaffSignIn").path);
  await ready(page, testInfo);
  await page.getByLabel("Usuario").fill(username);
  await page.getByLabel("Clave", { exact: true }).fill(STAFF_CLAVE);
  await page.getByRole("button", { name: "Ingresar" }).click();
  await expect(page).toHaveURL(/\/personal\/verificar$/);
  await ready(page, testInfo);
}

/** Sets the app up from the secret the page shows as text, and types its code. */
async function enrolFromPage(page: Page): Promise<string> {
  const secret = ((await page.locator("#secreto").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Código de verificación").fill(totpCode(secret, Date.now() / 1000));
  await page.getByRole("button", { name: "Activar y continuar" }).click();
  return secret;
}

async function staffLogout(page: Page, testInfo: TestInfo) {
  await page.getByRole("button", { name: "Salir" }).click();
  await expect(page).toHaveURL(/\/personal\/ingresar\?salio=1$/);
  await ready(page, testInfo);
}

test.describe("Contacto · solicitud de llamada y consola del personal", () => {
  test("a locked resident abroad asks for a call; an agent unlocks the account and resolves the request; the affiliate then recovers", async ({ page }, testInfo) => {
    // Three people's pages in one journey (about 40 s without JavaScript on
    // these 2 cores): twice the default, still short of hiding a hang.
    test.setTimeout(120_000);
    const who = LOCKED_ABROAD[testInfo.project.name];

    // The locked account: recovery stops at the identity step and offers a call.
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill(who.cedula);
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Buscar" }).click();
    await expectStep(page, testInfo, "RecoveryIdentity", "¿Cuál es su fecha de nacimiento?");
    await page.getByLabel("Día").fill(who.day);
    await page.getByLabel("Mes").fill(who.month);
    await page.getByRole("button", { name: "Continuar" }).click();
    await expect(h1(page)).toHaveText("Su cuenta está bloqueada");
    await expectAccessiblePage(page, testInfo);

    // The call-back form, first with every mistake.
    await page.getByRole("link", { name: "Pedir que me llamen" }).click();
    await expectStep(page, testInfo, "Callback", "Pedir que le llamemos");
    await expect(page.locator(".office-hours").first()).toContainText(/(Abierto|Cerrado) ahora/);
    await expect(page.getByText(/Lo borraremos \d+ días después/)).toBeVisible();
    await page.getByRole("button", { name: "Enviar solicitud" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toContainText("Elija el país");
    await expect(summary).toContainText("necesitamos su autorización");
    await expect(page).toHaveTitle(/^Error: /);
    await expectAccessiblePage(page, testInfo);

    await page.getByLabel("Número de cédula").fill(who.cedula);
    await page.getByLabel("País del teléfono").selectOption({ label: who.country });
    // A number of another country first: refused by the server, with what was typed kept.
    await page.getByLabel("Número de teléfono").fill("+593 99 123 4567");
    await page.getByLabel("¿A qué hora prefiere que le llamemos?").selectOption("afternoon");
    await page.getByLabel(/Autorizo al Instituto/).check();
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Enviar solicitud" }).click();
    await expect(summary).toContainText("no es del país que eligió");
    await expect(page.getByLabel("Número de cédula")).toHaveValue(who.cedula);
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("Número de teléfono").fill(who.phone);
    // The form posted as a page, which came back from the redirect: tick again.
    await page.getByLabel(/Autorizo al Instituto/).check();
    await page.getByLabel("País del teléfono").selectOption({ label: who.country });
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Enviar solicitud" }).click();
    await expectStep(page, testInfo, /\/contacto\/recibida\?referencia=CB-/, "Recibimos su solicitud");
    const reference = (await page.locator(".reference").textContent())!.trim();
    expect(reference).toMatch(/^CB-[2-9A-Z]{4}-[2-9A-Z]{4}$/);

    // An agent finds it in the queue, filtered by status and country.
    await staffLogin(page, testInfo, agentOf(testInfo));
    await page.getByLabel("Estado").selectOption("open");
    await page.getByLabel("País").selectOption({ label: who.country });
    await page.getByRole("button", { name: "Filtrar" }).click();
    await expect(page).toHaveURL(/estado=open/);
    await ready(page, testInfo);
    const item = page.locator("li.case", { has: page.getByRole("heading", { name: new RegExp(reference) }) });
    await expect(item).toContainText(who.e164);
    await expect(item).toContainText("En la tarde");
    await expectAccessiblePage(page, testInfo);
    await item.getByRole("button", { name: `Tomar ${reference}` }).click();
    await expect(page).toHaveURL(/estado=open/);
    // Taken, it leaves the "Pendiente" list.
    await expect(page.getByRole("heading", { name: new RegExp(reference) })).toHaveCount(0);
    await page.getByLabel("Estado").selectOption("claimed");
    await page.getByRole("button", { name: "Filtrar" }).click();
    await expect(page).toHaveURL(/estado=claimed/);
    await ready(page, testInfo);
    const mine = page.locator("li.case", { has: page.getByRole("heading", { name: new RegExp(reference) }) });
    await expect(mine).toContainText(agentOf(testInfo));
    await mine.getByRole("button", { name: `Marcar contactada ${reference}` }).click();
    // Contacted, it leaves the "Asignada" list.
    await expect(page.getByRole("heading", { name: new RegExp(reference) })).toHaveCount(0);

    // The account: its locks and history, then the unlock (a reason is required).
    await page.goto(`${step("StaffAffiliate").path}?cedula=${who.cedula}`);
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("Buscar afiliado");
    await expect(page.locator("dl")).toContainText("Cuenta bloqueada");
    await expect(page.locator("p.notice")).toContainText("su clave actual deja de servir");
    await expect(page.locator("table")).toContainText("Pidió que le llamen");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("button", { name: "Desbloquear" }).click();
    await expect(page.locator(".error-summary")).toContainText("Escriba el motivo");
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("Motivo del desbloqueo").fill(`Identidad confirmada por teléfono; solicitud ${reference}`);
    await page.getByRole("button", { name: "Desbloquear" }).click();
    await expect(page.getByText("Esta cédula no tiene bloqueos.")).toBeVisible();
    await expect(page.locator("table")).toContainText(`solicitud ${reference}`);

    // Resolve the request with a note.
    await page.goto(`${step("StaffQueue").path}?estado=contacted`);
    await ready(page, testInfo);
    const contacted = page.locator("li.case", { has: page.getByRole("heading", { name: new RegExp(reference) }) });
    await contacted.getByRole("button", { name: `Resolver ${reference}` }).click();
    await expect(page.locator(".error-summary")).toContainText("Escriba el motivo");
    await expect(page).toHaveTitle(/^Error: /);
    await expectAccessiblePage(page, testInfo);
    await contacted.getByLabel(`Nota de resolución ${reference}`).fill("Llamada hecha, cuenta desbloqueada");
    await contacted.getByRole("button", { name: `Resolver ${reference}` }).click();
    await expect(page.getByRole("heading", { name: new RegExp(reference) })).toHaveCount(0);
    await page.goto(`${step("StaffQueue").path}?estado=resolved`);
    await ready(page, testInfo);
    await expect(page.locator("li.case", { has: page.getByRole("heading", { name: new RegExp(reference) }) })).toContainText("Llamada hecha, cuenta desbloqueada");
    await staffLogout(page, testInfo);

    // The affiliate now recovers the clave.
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("¿Cuál es su número de cédula?").fill(who.cedula);
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Buscar" }).click();
    await expectStep(page, testInfo, "RecoveryIdentity", "¿Cuál es su fecha de nacimiento?");
    await page.getByLabel("Día").fill(who.day);
    await page.getByLabel("Mes").fill(who.month);
    await page.getByRole("button", { name: "Continuar" }).click();
    await expectStep(page, testInfo, "RecoveryConfirm", "Confirme sus datos");
    const since = Date.now() - 2_000;
    await page.getByRole("button", { name: "Enviar código" }).click();
    await expectStep(page, testInfo, "RecoveryCode", "Escriba el código que le enviamos");
    const { code } = await mailedCode(page, who.email, since);
    await page.getByLabel("Escriba el código que le enviamos").fill(code);
    await page.getByRole("button", { name: "Continuar" }).click();
    await expectStep(page, testInfo, "RecoveryQuestions", "Responda sus preguntas de seguridad");
    const labels = page.locator("form label");
    for (const i of [0, 1]) {
      const q = (await labels.nth(i).textContent())!;
      const answers: [RegExp, string][] = [[/mejor amigo/, "Andrea"], [/calle/, "Olmedo"], [/primer plato/, "Locro de papa"], [/profesor/, "Carmita"]];
      await page.getByLabel(q).fill(answers.find(([re]) => re.test(q))![1]);
    }
    await page.getByRole("button", { name: "Continuar" }).click();
    await expectStep(page, testInfo, "RecoveryNewClave", "Cree su nueva clave");
    const clave = `montaña nevada lejos de ${testInfo.project.name}`;
    await page.getByLabel("Nueva clave", { exact: true }).fill(clave);
    await page.getByRole("button", { name: "Generar" }).click();
    await expectStep(page, testInfo, "RecoveryDone", "Su clave se ha restablecido correctamente");

    // Signed in as an affiliate, the console stays closed.
    await page.goto(step("SignIn").path);
    await ready(page, testInfo);
    await page.getByLabel("Número de cédula").fill(who.cedula);
    await page.getByLabel("Clave", { exact: true }).fill(clave);
    await page.getByRole("button", { name: "Ingresar" }).click();
    await expect(page).toHaveURL(/\/servicios$/);
    await page.goto(step("StaffQueue").path);
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("No tiene permiso");
    await expectAccessiblePage(page, testInfo);
  });

  test("the supervisor sees the counts and manages staff; an agent cannot open supervision", async ({ page }, testInfo) => {
    // Not signed in: the console asks to sign in; a wrong password says so without telling which part.
    await page.goto(step("StaffQueue").path);
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("Ingrese a la consola del personal");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("link", { name: "Ingresar" }).click();
    await expect(page).toHaveURL(/\/personal\/ingresar$/);
    await ready(page, testInfo);
    await page.getByLabel("Usuario").fill(agentOf(testInfo));
    await page.getByLabel("Clave", { exact: true }).fill("no es la clave");
    await page.getByRole("button", { name: "Ingresar" }).click();
    await expect(page.locator(".error-summary")).toContainText("El usuario o la clave no son correctos");
    await expect(page).toHaveTitle(/^Error: /);
    await expectAccessiblePage(page, testInfo);

    // An agent is refused the supervisor's page.
    await staffLogin(page, testInfo, agentOf(testInfo));
    await expect(page.getByRole("link", { name: "Supervisión" })).toHaveCount(0);
    await page.goto(step("StaffSupervision").path);
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("No tiene permiso");
    await expectAccessiblePage(page, testInfo);
    await page.goto(step("StaffQueue").path);
    await ready(page, testInfo);
    await staffLogout(page, testInfo);
    await expectAccessiblePage(page, testInfo);

    await staffLogin(page, testInfo, supervisorOf(testInfo));
    await page.getByRole("link", { name: "Supervisión" }).click();
    await expectStep(page, testInfo, /\/personal\/supervision$/, "Supervisión");
    // The session's time limit: «Seguir» extends it on the page it is on.
    const limit = page.locator(".time-limit");
    await expect(limit).toContainText("su sesión se cierra si no la usa");
    await expect(limit.locator(".session-deadline")).toHaveText(/^\d{2}:\d{2}$/);
    await limit.getByRole("button", { name: "Seguir" }).click();
    if (jsEnabled(testInfo)) {
      await expect(limit.locator(".time-limit-status")).toHaveText(/^Le dimos más tiempo: su sesión seguirá abierta hasta las \d{2}:\d{2}\.$/);
    } else {
      await expect(page).toHaveURL(/\/personal\/supervision$/);
      await expect(h1(page)).toHaveText("Supervisión");
    }
    await expect(page.getByRole("table").first()).toContainText("Pendiente");
    await expect(page.locator("main")).toContainText(agentOf(testInfo));

    // A new account: errors first, then created.
    const newcomer = `nuevo.${testInfo.project.name}`;
    await page.getByLabel("Usuario", { exact: true }).fill(newcomer);
    await page.getByLabel("Nombre completo").fill("Nuevo Agente de Prueba");
    await page.getByLabel("Rol").selectOption("agent");
    await page.getByLabel("Clave inicial").fill("corta");
    await page.getByRole("button", { name: "Añadir cuenta" }).click();
    await expect(page.locator(".error-summary")).toContainText("al menos 12 caracteres");
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("Usuario", { exact: true }).fill(newcomer);
    await page.getByLabel("Nombre completo").fill("Nuevo Agente de Prueba");
    await page.getByLabel("Rol").selectOption("agent");
    await page.getByLabel("Clave inicial").fill(STAFF_CLAVE);
    await page.getByRole("button", { name: "Añadir cuenta" }).click();
    const row = page.getByRole("row", { name: new RegExp(newcomer) });
    await expect(row).toContainText("Activa");
    await row.getByRole("button", { name: `Desactivar ${newcomer}` }).click();
    await expect(page.getByRole("row", { name: new RegExp(newcomer) })).toContainText("Desactivada");
    await staffLogout(page, testInfo);
  });

  test("the journeys' authenticator agrees with RFC 6238", async () => {
    // Appendix B, SHA-1: the secret is "12345678901234567890"; the apps show the last six digits.
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(totpCode(secret, 59)).toBe("287082");
    expect(totpCode(secret, 1111111109)).toBe("081804");
    expect(totpCode(secret, 1234567890)).toBe("005924");
    expect(totpCode(secret, 2000000000)).toBe("279037");
  });

  test("a new staff account enrols its second factor at the first sign-in, uses a recovery code once, and a supervisor resets it", async ({ page }, testInfo) => {
    const newcomer = `factor.${testInfo.project.name}`;
    await staffLogin(page, testInfo, supervisorOf(testInfo));
    await page.getByRole("link", { name: "Supervisión" }).click();
    await expectStep(page, testInfo, /\/personal\/supervision$/, "Supervisión");
    await page.getByLabel("Usuario", { exact: true }).fill(newcomer);
    await page.getByLabel("Nombre completo").fill("Agente con Segundo Factor");
    await page.getByLabel("Rol").selectOption("agent");
    await page.getByLabel("Clave inicial").fill(STAFF_CLAVE);
    await page.getByRole("button", { name: "Añadir cuenta" }).click();
    await expect(page.getByRole("row", { name: new RegExp(newcomer) })).toContainText("Sin configurar");
    await staffLogout(page, testInfo);

    // First sign-in: the QR code, the same secret as text, ten recovery codes.
    await staffPassword(page, testInfo, newcomer);
    await expect(h1(page)).toHaveText(ENROL);
    await expect(page.getByRole("img", { name: /Código QR/ })).toBeVisible();
    const codes = (await page.locator("#codigos-recuperacion li").allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    codes.forEach((c) => expect(c).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/));
    await expectAccessiblePage(page, testInfo);
    // A wrong code first: the error, the same secret still shown.
    const shown = ((await page.locator("#secreto").textContent()) ?? "").replace(/\s/g, "");
    const right = totpCode(shown, Date.now() / 1000);
    await page.getByLabel("Código de verificación").fill(right === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Activar y continuar" }).click();
    await expect(page.locator(".error-summary")).toContainText("El código no es correcto");
    await expect(page).toHaveTitle(/^Error: /);
    await expectAccessiblePage(page, testInfo);
    expect(await enrolFromPage(page)).toBe(shown);
    await expectStep(page, testInfo, /\/personal$/, "Solicitudes de llamada");
    await staffLogout(page, testInfo);

    // Without the phone: a recovery code, good once.
    await staffPassword(page, testInfo, newcomer);
    await expect(h1(page)).toHaveText(VERIFY);
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("Código de verificación").fill(codes[0].toLowerCase());
    await page.getByRole("button", { name: "Continuar" }).click();
    await expectStep(page, testInfo, /\/personal$/, "Solicitudes de llamada");
    await staffLogout(page, testInfo);
    await staffPassword(page, testInfo, newcomer);
    await page.getByLabel("Código de verificación").fill(codes[0]);
    await page.getByRole("button", { name: "Continuar" }).click();
    await expect(page.locator(".error-summary")).toContainText("El código no es correcto o ya se usó");

    // A supervisor resets the factor; the next sign-in enrols a new one.
    await staffLogin(page, testInfo, supervisorOf(testInfo));
    await page.getByRole("link", { name: "Supervisión" }).click();
    await expectStep(page, testInfo, /\/personal\/supervision$/, "Supervisión");
    const row = page.getByRole("row", { name: new RegExp(newcomer) });
    await expect(row).toContainText("Configurado");
    await row.getByRole("button", { name: `Restablecer segundo factor ${newcomer}` }).click();
    await expect(page.getByRole("row", { name: new RegExp(newcomer) })).toContainText("Sin configurar");
    await staffLogout(page, testInfo);
    await staffPassword(page, testInfo, newcomer);
    await expect(h1(page)).toHaveText(ENROL);
    const renewed = ((await page.locator("#secreto").textContent()) ?? "").replace(/\s/g, "");
    expect(renewed).not.toBe(shown);
  });
});
