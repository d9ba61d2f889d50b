import { expect, Locator, Page, test, TestInfo } from "@playwright/test";
import { at, jsEnabled, mailedCode, nextStaffCode, ready, step, totpCode, STAFF_CLAVE } from "./helpers";

// Keyboard alone (SPEC §7, WCAG 2.1.1): every journey below is walked with
// Tab, typing (Ctrl+A to replace), Space, arrow keys and Enter — no click,
// fill, check or selectOption; only where a person starts (the home page,
// step 1, the staff sign-in) is opened by its address, as if typed. A control
// that Tab never reaches, or that does nothing from the keyboard, fails the
// test by its name. Desktop projects only: a phone has no Tab key.

/** Demo people kept for these journeys (README), one pair per desktop project. */
const PEOPLE: Record<string, { newcomer: Newcomer; lockedAbroad: LockedAbroad }> = {
  "desktop-js": {
    newcomer: { cedula: "1722233341", date: ["19", "5", "1972"], dactilar: "K1212L3434" },
    lockedAbroad: { cedula: "1711199982", day: "11", month: "2", country: "España", phone: "611 22 33 44" },
  },
  "desktop-nojs": {
    newcomer: { cedula: "0911122232", date: ["23", "9", "1969"], dactilar: "M5656N7878" },
    lockedAbroad: { cedula: "0808060602", day: "6", month: "7", country: "Estados Unidos", phone: "(202) 555-0147" },
  },
};

interface Newcomer {
  cedula: string;
  date: [string, string, string];
  dactilar: string;
}

interface LockedAbroad {
  cedula: string;
  day: string;
  month: string;
  country: string;
  phone: string;
}


const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

/** Presses Tab until `target` has the focus; fails, naming it, if Tab never gets there. */
async function tabTo(page: Page, target: Locator, what: string) {
  await expect(target, `${what} is on the page`).toBeAttached({ timeout: 10_000 });
  for (let presses = 0; presses < 150; presses++) {
    if (await target.evaluate((el) => el === document.activeElement, null, { timeout: 10_000 })) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${what}`);
}

/** Tabs to a field and types into it, replacing what it held. */
async function typeInto(page: Page, label: string | RegExp, text: string) {
  await tabTo(page, page.getByLabel(label, { exact: typeof label === "string" }), `the field «${label}»`);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(text);
}

/** Tabs to a button or link and activates it with Enter. */
async function activate(page: Page, target: Locator, what: string) {
  await tabTo(page, target, what);
  await page.keyboard.press("Enter");
}

const button = (page: Page, name: string) => page.getByRole("main").getByRole("button", { name, exact: true });
const link = (page: Page, name: string) => page.getByRole("main").getByRole("link", { name, exact: true });

/** Ticks "No soy un robot" with Space; with JavaScript, waits for the proof of work. */
async function robot(page: Page, testInfo: TestInfo) {
  await tabTo(page, page.getByLabel("No soy un robot"), "the robot checkbox");
  await page.keyboard.press("Space");
  await expect(page.getByLabel("No soy un robot")).toBeChecked();
  if (jsEnabled(testInfo)) await expect(page.locator("#robot-status")).toHaveText(/Verificado/, { timeout: 30_000 });
}

/**
 * Picks the option of a select whose label starts with `start`, by typing it
 * into the select reached by Tab. Only the part before the first letter a US
 * keyboard lacks is typed: Playwright sends such a letter as inserted text,
 * which a select's type-ahead never sees.
 */
async function choose(page: Page, label: string, start: string) {
  await tabTo(page, page.getByLabel(label, { exact: true }), `the select «${label}»`);
  await page.keyboard.type(start.split(/[^\x20-\x7e]/)[0]);
  await expect(page.getByLabel(label, { exact: true }).locator("option:checked")).toHaveText(new RegExp(`^${start}`));
}

/** Step 1 of either journey: the cédula, the robot box, *Buscar*; then the step that follows. */
async function search(page: Page, testInfo: TestInfo, cedula: string, next: string) {
  await typeInto(page, "¿Cuál es su número de cédula?", cedula);
  await robot(page, testInfo);
  await activate(page, button(page, "Buscar"), "Buscar");
  await expect(h1(page)).toHaveText(next);
}

test.describe("Solo con el teclado", () => {
  test.describe.configure({ mode: "serial" });

  // Filled by the request, read by the recovery: the question each answer was given to.
  const chosen = new Map<string, string>();

  test("a whole request by keyboard alone, a wrong date's summary link focusing the month", async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const who = PEOPLE[testInfo.project.name].newcomer;
    const email = `teclado.${testInfo.project.name}@example.net`;
    await page.goto(step("Home").path);
    await ready(page, testInfo);
    // The skip link is the first stop and takes the focus to the content.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Saltar al contenido principal" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.locator("#contenido")).toBeFocused();
    await activate(page, link(page, "Solicitar clave"), "Solicitar clave");
    await expect(h1(page)).toHaveText("Solicitar su clave por primera vez");
    await activate(page, link(page, "Comenzar"), "Comenzar");
    await expect(page).toHaveURL(at("RequestSearch"));
    await ready(page, testInfo);
    await search(page, testInfo, who.cedula, "Confirme su identidad");

    // A month that cannot be: the summary's link takes the focus to the month.
    await typeInto(page, "Día", who.date[0]);
    await typeInto(page, "Mes", "13");
    await typeInto(page, "Año", who.date[2]);
    await typeInto(page, "Código dactilar", who.dactilar);
    await activate(page, button(page, "Continuar"), "Continuar");
    const summary = page.locator(".error-summary");
    await expect(summary).toBeFocused();
    await activate(page, summary.getByRole("link", { name: /mes/ }), "the summary's link to the month");
    await expect(page.getByLabel("Mes", { exact: true })).toBeFocused();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(who.date[1]);
    await activate(page, button(page, "Continuar"), "Continuar");
    await expect(h1(page)).toHaveText("¿Cómo le contactamos?");

    const since = Date.now() - 2_000;
    await typeInto(page, "Correo electrónico", email);
    await activate(page, button(page, "Enviar código"), "Enviar código");
    await expect(h1(page)).toHaveText("Escriba el código que le enviamos");
    const { code } = await mailedCode(page, email, since);
    await typeInto(page, "Escriba el código que le enviamos", code);
    await activate(page, button(page, "Continuar"), "Continuar");

    await expect(h1(page)).toHaveText("Elija sus preguntas de seguridad");
    for (const n of [1, 2, 3, 4]) {
      // Arrow keys move a closed select's choice: the n-th question for the n-th select.
      const select = page.getByLabel(`Pregunta ${n}`, { exact: true });
      await tabTo(page, select, `the select «Pregunta ${n}»`);
      for (let i = 0; i < n; i++) await page.keyboard.press("ArrowDown");
      const question = (await select.locator("option:checked").textContent())!.trim();
      expect(question, `Pregunta ${n} holds a question`).not.toMatch(/^Elija/);
      chosen.set(question, `respuesta del teclado ${n}`);
      await typeInto(page, `Respuesta ${n}`, `respuesta del teclado ${n}`);
    }
    expect(chosen.size, "four different questions").toBe(4);
    await activate(page, button(page, "Continuar"), "Continuar");

    await expect(h1(page)).toHaveText("Cree su clave");
    await typeInto(page, "Nueva clave", `teclas del piano ${testInfo.project.name}`);
    await activate(page, button(page, "Generar"), "Generar");
    await expect(h1(page)).toHaveText("Su clave se ha creado correctamente");
    await activate(page, link(page, "Finalizar"), "Finalizar");
    await expect(page).toHaveURL(at("SignIn"));
    await ready(page, testInfo);
    await typeInto(page, "Número de cédula", who.cedula);
    await typeInto(page, "Clave", `teclas del piano ${testInfo.project.name}`);
    await activate(page, button(page, "Ingresar"), "Ingresar");
    await expect(h1(page)).toHaveText("Servicios en línea");
    await activate(page, button(page, "Salir"), "Salir");
    await expect(page).toHaveURL(/\/ingresar\?salio=1$/);
  });

  test("a whole recovery by keyboard alone, from the home page", async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const who = PEOPLE[testInfo.project.name].newcomer;
    const email = `teclado.${testInfo.project.name}@example.net`;
    const clave = `flauta de caña ${testInfo.project.name}`;
    await page.goto(step("Home").path);
    await ready(page, testInfo);
    await activate(page, link(page, "Recuperar clave"), "Recuperar clave");
    await expect(h1(page)).toHaveText("Recuperar su clave");
    await activate(page, link(page, "Comenzar"), "Comenzar");
    await expect(page).toHaveURL(at("RecoverySearch"));
    await ready(page, testInfo);
    await search(page, testInfo, who.cedula, "¿Cuál es su fecha de nacimiento?");
    await typeInto(page, "Día", who.date[0]);
    await typeInto(page, "Mes", who.date[1]);
    await activate(page, button(page, "Continuar"), "Continuar");
    await expect(h1(page)).toHaveText("Confirme sus datos");
    const since = Date.now() - 2_000;
    await activate(page, button(page, "Enviar código"), "Enviar código");
    await expect(h1(page)).toHaveText("Escriba el código que le enviamos");
    const { code } = await mailedCode(page, email, since);
    await typeInto(page, "Escriba el código que le enviamos", code);
    await activate(page, button(page, "Continuar"), "Continuar");

    await expect(h1(page)).toHaveText("Responda sus preguntas de seguridad");
    const labels = page.locator("form label");
    await expect(labels).toHaveCount(2);
    for (const i of [0, 1]) {
      const question = (await labels.nth(i).textContent())!.trim();
      const answer = chosen.get(question);
      expect(answer, `an answer for «${question}» from the request`).toBeDefined();
      await typeInto(page, question, answer!);
    }
    await activate(page, button(page, "Continuar"), "Continuar");

    await expect(h1(page)).toHaveText("Cree su nueva clave");
    await typeInto(page, "Nueva clave", clave);
    if (jsEnabled(testInfo)) {
      // The show/hide toggle works from the keyboard too.
      await activate(page, page.getByRole("button", { name: /Mostrar/ }), "Mostrar");
      await expect(page.getByLabel("Nueva clave", { exact: true })).toHaveAttribute("type", "text");
      await page.keyboard.press("Enter");
      await expect(page.getByLabel("Nueva clave", { exact: true })).toHaveAttribute("type", "password");
    }
    await activate(page, button(page, "Generar"), "Generar");
    await expect(h1(page)).toHaveText("Su clave se ha restablecido correctamente");
    await activate(page, link(page, "Finalizar"), "Finalizar");
    await expect(page).toHaveURL(at("SignIn"));
    await ready(page, testInfo);
    await typeInto(page, "Número de cédula", who.cedula);
    await typeInto(page, "Clave", clave);
    await activate(page, button(page, "Ingresar"), "Ingresar");
    await expect(h1(page)).toHaveText("Servicios en línea");
  });

  test("a call-back request, then an agent's unlock, by keyboard alone", async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const who = PEOPLE[testInfo.project.name].lockedAbroad;
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await search(page, testInfo, who.cedula, "¿Cuál es su fecha de nacimiento?");
    await typeInto(page, "Día", who.day);
    await typeInto(page, "Mes", who.month);
    await activate(page, button(page, "Continuar"), "Continuar");
    await expect(h1(page)).toHaveText("Su cuenta está bloqueada");
    await activate(page, link(page, "Pedir que me llamen"), "Pedir que me llamen");
    await expect(h1(page)).toHaveText("Pedir que le llamemos");
    await ready(page, testInfo);
    await typeInto(page, "Número de cédula", who.cedula);
    await choose(page, "País del teléfono", who.country);
    await typeInto(page, "Número de teléfono", who.phone);
    await choose(page, "¿A qué hora prefiere que le llamemos?", "En la tarde");
    await tabTo(page, page.getByLabel(/Autorizo al Instituto/), "the consent checkbox");
    await page.keyboard.press("Space");
    await expect(page.getByLabel(/Autorizo al Instituto/)).toBeChecked();
    await robot(page, testInfo);
    await activate(page, button(page, "Enviar solicitud"), "Enviar solicitud");
    await expect(h1(page)).toHaveText("Recibimos su solicitud");
    const reference = (await page.locator(".reference").textContent())!.trim();
    expect(reference).toMatch(/^CB-[2-9A-Z]{4}-[2-9A-Z]{4}$/);

    // The agent signs in (the second factor from the app), finds the request and unlocks.
    const agent = `agente.${testInfo.project.name}`;
    await page.goto(step("StaffSignIn").path);
    await ready(page, testInfo);
    await typeInto(page, "Usuario", agent);
    await typeInto(page, "Clave", STAFF_CLAVE);
    await activate(page, button(page, "Ingresar"), "Ingresar");
    await expect(page).toHaveURL(at("StaffFactor"));
    await ready(page, testInfo);
    if ((await h1(page).textContent()) === "Configure su segundo factor") {
      const secret = ((await page.locator("#secreto").textContent()) ?? "").replace(/\s/g, "");
      await typeInto(page, "Código de verificación", totpCode(secret, Date.now() / 1000));
      await activate(page, button(page, "Activar y continuar"), "Activar y continuar");
    } else {
      await typeInto(page, "Código de verificación", await nextStaffCode(agent));
      await activate(page, button(page, "Continuar"), "Continuar");
    }
    await expect(h1(page)).toHaveText("Solicitudes de llamada");
    await ready(page, testInfo);
    await activate(page, link(page, `Ver historial y bloqueos de ${who.cedula}`), "the request's history link");
    await expect(h1(page)).toHaveText("Buscar afiliado");
    await ready(page, testInfo);
    await typeInto(page, "Motivo del desbloqueo", `Identidad confirmada por teléfono; solicitud ${reference}`);
    await activate(page, button(page, "Desbloquear"), "Desbloquear");
    await expect(page.getByText("Esta cédula no tiene bloqueos.")).toBeVisible();
    await expect(page.locator("table")).toContainText(`solicitud ${reference}`);
  });
});
