import { expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";

export const DEMO_WITH_CLAVE = "1712345675";
/** Well-formed but not in the registry: must behave exactly like a registered one. */
export const UNREGISTERED = "1714307103";

/** Whether the project's browser asks for English (the `-en` projects). */
export function inEnglish(testInfo: TestInfo): boolean {
  return String(testInfo.project.use.locale ?? "").startsWith("en");
}

/** The text of the project's language: Spanish, or English on the `-en` projects. */
export function say(testInfo: TestInfo, es: string, en: string): string {
  return inEnglish(testInfo) ? en : es;
}

export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * What every page in every state is held to (SPEC §7): no empty status or
 * alert region; zero axe-core violations for WCAG 2.0/2.1/2.2 A and AA; no
 * sideways scroll and nothing clipped at 320 CSS px, nor with text at 200 %;
 * on the phone, every control at least 44×44 CSS px; every wrong field marked
 * invalid and described by its message, every error summary link leading to
 * a field; a visible focus indicator on every control; nothing that moves
 * when the person asks for reduced motion. Without JavaScript the
 * page cannot run axe, so its HTML is checked in a scripted copy; the layout
 * is always measured on such a copy, so the page under test keeps its size.
 */
export async function expectAccessiblePage(page: Page, testInfo: TestInfo) {
  // A status or alert with nothing in it is still announced, by its role
  // ("statusbar"); a live region that may be empty carries no role.
  const emptyRoles = await page.evaluate(() =>
    [...document.querySelectorAll("[role=status], [role=alert], [role=log], [role=timer]")]
      .filter((el) => (el.textContent ?? "").trim() === "")
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(emptyRoles, "empty status or alert regions").toEqual([]);
  // The language switch works here: its button belongs to a form and comes
  // back to this very page (after a step shown in place, too).
  const switched = await page.evaluate(() => {
    const button = document.querySelector<HTMLButtonElement>(".language-switch-button");
    if (!button?.form) return null;
    return { back: new URL(button.formAction).searchParams.get("volver"), form: button.form.id };
  });
  const shown = new URL(page.url());
  expect(switched?.back, "where the language switch comes back to").toBe(shown.pathname + shown.search);
  // On a page whose table says so, the button posts the step's form, so typed values travel.
  const listed = Object.values(LISTED).find((p) => p.path === shown.pathname);
  if (listed?.form) expect(switched?.form, "the form the language switch posts").toBe("paso");
  const name = recordChecked(page, testInfo);
  await expectPinnedAriaTree(page, testInfo, name);
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const ctx = await page.context().browser()!.newContext({ javaScriptEnabled: true, viewport });
  try {
    const copy = await ctx.newPage();
    const html = stripScripts(await page.content());
    // Same origin, so the stylesheet applies and colour contrast is real.
    await copy.route("**/__a11y_copy", (route) => route.fulfill({ contentType: "text/html", body: html }));
    await copy.goto(new URL("/__a11y_copy", page.url()).toString());
    const results = await new AxeBuilder({ page: jsEnabled(testInfo) ? page : copy })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
      .analyze();
    const summary = results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
    expect(summary, "axe violations").toEqual([]);
    recordIncomplete(testInfo, name, results.incomplete);
    if (isPhone(testInfo)) expect(await smallTargets(copy), "controls under 44×44 CSS px").toEqual([]);
    expect(await errorWiring(copy), "errors tied to their fields").toEqual([]);
    expect(await unseenFocus(copy), "controls without a visible focus indicator").toEqual([]);
    // With JavaScript the page itself, so that motion a script starts is seen too.
    const moving = jsEnabled(testInfo) ? page : copy;
    await moving.emulateMedia({ reducedMotion: "reduce" });
    expect(await motion(moving), "motion with prefers-reduced-motion: reduce").toEqual([]);
    await moving.emulateMedia({ reducedMotion: null });
    // Nothing stays focused: a focused skip link is on screen, and wide.
    await copy.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await copy.evaluate(() => (document.documentElement.style.fontSize = "200%"));
    expect(await layoutProblems(copy), "at 200 % text").toEqual([]);
    await copy.evaluate(() => (document.documentElement.style.fontSize = ""));
    await copy.setViewportSize({ width: 320, height: 640 });
    expect(await layoutProblems(copy), "at 320 CSS px").toEqual([]);
  } finally {
    await ctx.close();
  }
}

/**
 * With CLAVE_A11Y_RECORD set (the test command), each page checked is noted
 * there, by its name in the page table, so that the run's teardown can show
 * that every page of the table was checked on every project. Returns the name.
 */
function recordChecked(page: Page, testInfo: TestInfo): string {
  const path = new URL(page.url()).pathname;
  const name = Object.keys(LISTED).find((n) => LISTED[n].path === path) ?? "NotFound";
  const record = process.env.CLAVE_A11Y_RECORD;
  if (record) appendFileSync(record, `${testInfo.project.name}\t${name}\n`);
  return name;
}

/** Roles whose lines a screen reader's outline is made of; the rest (text, paragraphs, cells) is content. */
const OUTLINE_ROLES = new Set([
  "banner", "main", "contentinfo", "navigation", "region", "form", "search", "complementary", "heading",
  "link", "button", "textbox", "checkbox", "radio", "radiogroup", "combobox", "spinbutton", "group",
  "alert", "alertdialog", "dialog", "status", "img", "table", "list", "listitem", "timer", "log", "option",
]);

/**
 * What a screen reader gets, pinned per page and state (Playwright's ARIA
 * snapshot, under end2end/aria/<project>/<spec>/<test>/<page>[-n]-aria.yml, as Playwright names them):
 * landmarks, headings, controls with their names, values and states, and
 * what live regions say. Text content, links' addresses, unselected options
 * and the figures that change from run to run (digits, call-back references,
 * whether the office is open now) are left out, so a diff is a change of
 * the page, never of the clock. Every accessible name must read as words: a
 * lower-case letter straight before a capital is two texts run together.
 */
async function expectPinnedAriaTree(page: Page, testInfo: TestInfo, name: string) {
  const outline: string[] = [];
  // The lines above this one, by indent, and whether each was kept: a kept
  // line hangs under its nearest kept ancestor.
  const above: { indent: number; kept: boolean }[] = [];
  for (const line of (await page.locator("body").ariaSnapshot()).split("\n")) {
    const m = /^( *)- ([a-z]+|\/[a-z]+|"[^"]*")(.*)$/.exec(line);
    if (!m) continue;
    const indent = m[1].length;
    while (above.length > 0 && above[above.length - 1].indent >= indent) above.pop();
    const role = m[2];
    const kept = OUTLINE_ROLES.has(role) && (role !== "option" || m[3].includes("[selected]"));
    above.push({ indent, kept });
    if (!kept) continue;
    // A list item's own text is content; a live region's is what it says.
    const rest = (role === "listitem" ? m[3].replace(/:.*$/, "") : m[3]).replace(/:$/, "");
    const depth = above.filter((a) => a.kept).length - 1;
    outline.push(`${"  ".repeat(depth)}- ${role}${rest}`);
  }
  const tree = outline
    .join("\n")
    .replace(/CB-[2-9A-Z]{4}-[2-9A-Z]{4}/g, "CB-XXXX-XXXX")
    .replace(/\b(Abierto|Cerrado) ahora/g, "Abierto o cerrado ahora")
    .replace(/(?<!\[level=)\d+/g, "#");
  // Which two of the four questions this step asks is drawn at random per flow.
  // Which two of the four questions are asked is drawn at random: a question, in either language, stands as one.
  const pinnedTree =
    name === "RecoveryQuestions" ? tree.replace(/textbox "(¿[^"]*|(What|Which|Who|Where|When|How)\b[^"]*)\?"/g, 'textbox "(una de sus preguntas)"') : tree;
  const names = [...pinnedTree.matchAll(/"([^"]*)"/g)].map((q) => q[1]);
  const runTogether = names.filter((accessibleName) => /[a-záéíóúñü][A-ZÁÉÍÓÚÑÜ]/.test(accessibleName));
  expect(runTogether, "accessible names with two texts run together").toEqual([]);
  // A decoration drawn by the stylesheet ("‹ Volver", "Comenzar ›") is read aloud as a symbol.
  const decorated = names.filter((accessibleName) => /[‹›→←▸▶]/.test(accessibleName));
  expect(decorated, "accessible names carrying a decorative symbol").toEqual([]);
  const seen = (pinned.get(testInfo) ?? pinned.set(testInfo, new Map()).get(testInfo)!);
  const n = (seen.get(name) ?? 0) + 1;
  seen.set(name, n);
  expect(`${pinnedTree}\n`).toMatchSnapshot(`${name}${n > 1 ? `-${n}` : ""}.aria.yml`);
}

/** How many times each page was pinned in a test, so that its states get their own files. */
const pinned = new WeakMap<TestInfo, Map<string, number>>();

/**
 * What axe could not decide by itself ("incomplete": needs a person's
 * review), noted beside the record of pages checked; the run's teardown
 * prints it by rule.
 */
function recordIncomplete(testInfo: TestInfo, name: string, incomplete: { id: string; nodes: { target: unknown[] }[] }[]) {
  const record = process.env.CLAVE_A11Y_RECORD;
  if (!record) return;
  for (const rule of incomplete) {
    for (const node of rule.nodes) {
      appendFileSync(`${record}.incomplete`, `${testInfo.project.name}\t${name}\t${rule.id}\t${node.target.join(" ")}\n`);
    }
  }
}

export function isPhone(testInfo: TestInfo): boolean {
  return testInfo.project.use.isMobile === true;
}

/** Sideways scroll of the document, and boxes that cut their content off. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""}`;
    const root = document.documentElement;
    const found: string[] = [];
    if (root.scrollWidth > root.clientWidth) {
      const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(-3)
        .map(name);
      found.push(`the page scrolls sideways by ${root.scrollWidth - root.clientWidth} px: ${wide.join(", ")}`);
    }
    for (const el of document.querySelectorAll("body *")) {
      // A field's own text scrolls inside it by design.
      if (el.closest(".visually-hidden") || el.matches("input, textarea, select")) continue;
      const style = getComputedStyle(el);
      const clips = (o: string) => o === "hidden" || o === "clip";
      if (clips(style.overflowX) && el.scrollWidth > el.clientWidth + 1) found.push(`${name(el)} cuts off its width`);
      if (clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1) found.push(`${name(el)} cuts off its height`);
    }
    return found;
  });
}

/**
 * A field shown wrong that is not `aria-invalid` or not described by its
 * message, and an error summary link that leads to no field.
 */
async function errorWiring(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const group of document.querySelectorAll(".field-error")) {
      const message = group.querySelector(".error-message[id]");
      const fields = [...group.querySelectorAll("input:not([type=hidden]), select, textarea")];
      const wrong = fields.filter((f) => f.getAttribute("aria-invalid") === "true");
      if (fields.length > 0 && wrong.length === 0) found.push(`${fields[0].id}: no field of the group is aria-invalid`);
      for (const field of wrong) {
        // A date's parts are described through their fieldset.
        const described = [field, field.closest("fieldset")]
          .flatMap((el) => (el?.getAttribute("aria-describedby") ?? "").split(/\s+/));
        if (!message || !described.includes(message.id)) found.push(`${field.id} is not described by its message`);
      }
    }
    for (const link of document.querySelectorAll<HTMLAnchorElement>(".error-summary a[href^='#']")) {
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target || !target.matches("input, select, textarea, button, [tabindex]")) found.push(`${link.textContent} leads to ${link.hash}`);
    }
    return found;
  });
}

/** Controls that show nothing when focused: no outline and no shadow (WCAG 2.4.7). */
async function unseenFocus(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, summary")]
      .filter((el) => el.getBoundingClientRect().width > 0 || el.classList.contains("skip-link"))
      .filter((el) => {
        el.focus();
        const style = getComputedStyle(el);
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
        return document.activeElement === el && !outline && style.boxShadow === "none";
      })
      .map((el) => el.outerHTML.slice(0, 70)),
  );
}

/**
 * What still moves when the person asked for less motion (WCAG 2.3.3):
 * running animations, transitions that take time, smooth scrolling.
 */
async function motion(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}`;
    const takesTime = (durations: string) => durations.split(",").some((d) => parseFloat(d) > 0);
    const found = document.getAnimations().map((a) => `an animation runs on ${name((a.effect as KeyframeEffect).target!)}`);
    for (const el of [document.documentElement, ...document.querySelectorAll("body, body *")]) {
      const style = getComputedStyle(el);
      if (takesTime(style.transitionDuration)) found.push(`${name(el)} has a transition`);
      if (style.animationName !== "none" && takesTime(style.animationDuration)) found.push(`${name(el)} has an animation`);
      if (style.scrollBehavior === "smooth") found.push(`${name(el)} scrolls smoothly`);
    }
    return found;
  });
}

/**
 * Controls smaller than 44×44 CSS px (WCAG 2.5.5). A link inside a sentence
 * is exempt, as 2.5.5 says; a link that stands alone is not.
 */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")]
      .filter((el) => !el.closest(".visually-hidden") && !el.classList.contains("skip-link"))
      .filter((el) => {
        const inSentence =
          el.tagName === "A" &&
          getComputedStyle(el).display === "inline" &&
          (el.parentElement?.textContent ?? "").trim().length > (el.textContent ?? "").trim().length;
        return !inSentence;
      })
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
      .map(({ el, r }) => `${el.outerHTML.slice(0, 70)} ${Math.round(r.width)}×${Math.round(r.height)}`),
  );
}

function stripScripts(html: string): string {
  return html.replace(/<script\b[\s\S]*?<\/script>/gi, "");
}

/** Ticks "No soy un robot"; with JavaScript, waits for the proof of work. */
export async function passCaptcha(page: Page, testInfo: TestInfo) {
  // A step shown in place brings its captcha to life after it appears.
  await ready(page, testInfo);
  await page.getByLabel(say(testInfo, "No soy un robot", "I'm not a robot")).check();
  if (jsEnabled(testInfo)) {
    await expect(page.locator("#robot-status")).toHaveText(say(testInfo, "Verificado. Puede continuar.", "Verified. You can continue."), {
      timeout: 30_000,
    });
  }
}

/** Waits until the page's islands, if any, are live when JavaScript runs. */
export async function ready(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) {
    await page.waitForFunction(() => document.body.dataset.hydrated === "true");
  }
}

/** A demo affiliate with a clave, as the journeys use them. */
export interface Person {
  cedula: string;
  day: string;
  month: string;
  email: string;
  name: string;
}

/** One person per project, so journeys in different projects never share state. */
export const RECOVERY_PEOPLE: Record<string, Person> = {
  "desktop-js": { cedula: "1712345675", day: "14", month: "3", email: "maria.perez@example.com", name: "María José Pérez López" },
  "desktop-nojs": { cedula: "0918765439", day: "2", month: "11", email: "carlos.guaman@example.org", name: "Carlos Andrés Guamán Tipán" },
  "phone-js": { cedula: "1755512348", day: "25", month: "7", email: "blanca.torres@example.com", name: "Blanca Piedad Torres Vaca" },
  "phone-nojs": { cedula: "3023456787", day: "1", month: "12", email: "jorge.salazar@example.org", name: "Jorge Enrique Salazar Ortiz" },
};

export const REPLACE_EMAIL_PEOPLE: Record<string, Person> = {
  "desktop-js": { cedula: "1711223345", day: "21", month: "6", email: "patricia.andrade@example.com", name: "Patricia Elena Andrade Ruiz" },
  "desktop-nojs": { cedula: "0609876545", day: "10", month: "2", email: "segundo.yepez@example.org", name: "Segundo Manuel Yépez Cando" },
  "phone-js": { cedula: "1102345673", day: "4", month: "10", email: "gabriela.ochoa@example.com", name: "Gabriela Ochoa Jaramillo" },
  "phone-nojs": { cedula: "1703334449", day: "30", month: "8", email: "victor.paredes@example.org", name: "Víctor Hugo Paredes Lara" },
};

export const DEMO_CLAVE = "cielo claro sobre el Cotopaxi";

/** The staff accounts' clave: scripts/test.sh makes an agent and a supervisor per project with `clave create-staff`. */
export const STAFF_CLAVE = "faro lejano junto al Chimborazo";

/** The demo answers, by a fragment of each of the first four catalogue questions. */
const ANSWERS: [RegExp, string][] = [
  [/mejor amigo|best childhood friend/, "Andrea"],
  [/calle|street/, "Olmedo"],
  [/primer plato|first dish/, "Locro de papa"],
  [/profesor|teacher/, "Carmita"],
];

export function answerFor(question: string): string {
  const hit = ANSWERS.find(([re]) => re.test(question));
  if (!hit) throw new Error(`no demo answer for «${question}»`);
  return hit[1];
}

interface MailDevMail {
  id: string;
  subject: string;
  text: string;
  to: { address: string }[];
  /** MailDev 3 names the received time `time` (whole seconds). */
  time: string;
}

/** The newest mail to `address` whose subject matches, read from MailDev (a real SMTP server). */
export async function newestMail(page: Page, address: string, subject: RegExp, after = 0): Promise<MailDevMail> {
  const api = process.env.MAILDEV_URL;
  if (!api) throw new Error("MAILDEV_URL is not set: run the tests with scripts/test.sh");
  let found: MailDevMail | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`${api}/api/email`);
        const all = (await res.json()) as MailDevMail[];
        found = all
          .filter((m) => m.to.some((t) => t.address === address) && subject.test(m.subject))
          .filter((m) => Date.parse(m.time) >= after)
          .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0];
        return found !== undefined;
      },
      { timeout: 20_000, message: `a mail to ${address} matching ${subject}` },
    )
    .toBe(true);
  return found!;
}

/** The 6-digit code of the newest code mail to `address`. */
export async function mailedCode(page: Page, address: string, after = 0): Promise<{ code: string; link: string }> {
  const mail = await newestMail(page, address, /código|code/, after);
  const code = /(\d{6})/.exec(mail.subject)![1];
  const link = /(https?:\/\/\S+\/(?:recuperar|solicitar)\/codigo\/enlace\?codigo=\d{6})/.exec(mail.text)![1];
  return { code, link };
}

/**
 * The mailed link's page, opened in a second tab of the same browser and
 * checked like every page; the tab is closed without confirming, so the
 * journey goes on by typing the code.
 */
export async function expectCodeLinkPage(page: Page, testInfo: TestInfo, link: string) {
  const tab = await page.context().newPage();
  try {
    await openCodeLink(tab, testInfo, link);
  } finally {
    await tab.close();
  }
}

/** The mailed link's page (a one-button page in the same flow), opened in `page` and checked like every page. */
export async function openCodeLink(page: Page, testInfo: TestInfo, link: string) {
  const url = new URL(link);
  await page.goto(url.pathname + url.search);
  await ready(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    say(testInfo, "Confirme el código de su correo", "Confirm the code from your e-mail"),
  );
  await expectAccessiblePage(page, testInfo);
}

/**
 * The browser is at a step: `where` names a page of the step table (its
 * address, title and caption are checked as the table declares them) or is
 * an address pattern for a page outside it.
 */
export async function expectStep(
  page: Page,
  testInfo: TestInfo,
  where: string | RegExp,
  heading: string | RegExp,
  /** Shown by the wizard in place at the address the document was loaded with (Back to step 1). */
  inPlace = false,
) {
  if (typeof where === "string") {
    const s = step(where);
    const english = inEnglish(testInfo);
    await expect(page).toHaveURL(at(where));
    await expect(page).toHaveTitle(`${english ? s.title_en : s.title} – Clave`);
    const caption = english ? s.caption_en : s.caption;
    if (caption) await expect(page.locator("main .caption").first()).toHaveText(caption);
  } else {
    await expect(page).toHaveURL(where);
  }
  await ready(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
  // An error summary takes the focus: on a page load by autofocus, shown in
  // place by the wizard. A step the wizard shows in place puts the focus on
  // its h1 and says "Paso N de M: title" in its live region; after a page
  // load the browser starts at the top.
  const summary = page.locator("main .error-summary");
  const refused = (await summary.count()) > 0;
  if (refused) await expect(summary).toBeFocused();
  if (inPlace || (await shownInPlace(page, testInfo))) {
    if (!refused) await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
    if (typeof where === "string") {
      await expect(page.locator(".wizard-status")).toHaveText(announcement(step(where), inEnglish(testInfo)));
    }
  }
  await expectAccessiblePage(page, testInfo);
}

/** What the wizard says on showing `s`, written from the step table's caption and title. */
function announcement(s: StepPage, english: boolean): string {
  if (english) {
    const place = s.caption_en ? /step (\d+) of (\d+)$/.exec(s.caption_en) : null;
    return place ? `Step ${place[1]} of ${place[2]}: ${s.title_en}` : s.title_en;
  }
  const place = s.caption ? /paso (\d+) de (\d+)$/.exec(s.caption) : null;
  return place ? `Paso ${place[1]} de ${place[2]}: ${s.title}` : s.title;
}

/** Whether the page shown is not the one the document was loaded with (the wizard showed it in place). */
async function shownInPlace(page: Page, testInfo: TestInfo): Promise<boolean> {
  if (!jsEnabled(testInfo)) return false;
  return page.evaluate(() => {
    const loaded = new URL((performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).name);
    return loaded.pathname + loaded.search !== location.pathname + location.search;
  });
}

/**
 * Counts the documents the main frame loads from now on (a redirect chain is
 * one); a step the wizard shows in place is none.
 */
export function documentLoads(page: Page): () => number {
  let loads = 0;
  page.on("request", (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame() && r.redirectedFrom() === null) loads++;
  });
  return () => loads;
}

/** RFC 4648 base32 (no padding), as authenticator apps read a typed secret. */
function base32Bytes(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/[\s=]/g, "").toUpperCase()) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The six digits an authenticator app shows at `unixSeconds` (RFC 6238:
 * HMAC-SHA-1 over the 30-second step, dynamic truncation), written here apart
 * from the server's crate.
 */
export function totpCode(secretBase32: string, unixSeconds: number): string {
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", base32Bytes(secretBase32)).update(step).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}

/** The factor's secret and last accepted step of a staff account, in the e2e server's database. */
export function storedFactor(username: string): { secret: string; lastStep: number | null } {
  const out = execFileSync("python3", [
    "-c",
    "import json, sqlite3, sys\n" +
      "db = sqlite3.connect(sys.argv[1], timeout=30)\n" +
      "row = db.execute('SELECT secret, last_step FROM staff_factor WHERE username = ?', (sys.argv[2],)).fetchone()\n" +
      "print(json.dumps({'secret': row[0], 'lastStep': row[1]}))",
    process.env.CLAVE_E2E_DB!,
    username,
  ]).toString();
  return JSON.parse(out);
}

/**
 * The app's code for a staff account that signed in before: the current
 * step's, or the next one's when the current step was used already (a code is
 * good once; the server accepts one step ahead).
 */
export async function nextStaffCode(username: string): Promise<string> {
  const { secret, lastStep } = storedFactor(username);
  let now = Math.floor(Date.now() / 1000);
  let at = lastStep === null ? now : Math.max(now, (lastStep + 1) * 30);
  if (at > now + 30) {
    // Two sign-ins used this step and the next: wait for the clock.
    await new Promise((r) => setTimeout(r, (at - now - 29) * 1000));
    now = Math.floor(Date.now() / 1000);
    at = Math.max(now, (lastStep! + 1) * 30);
  }
  return totpCode(secret, at);
}

/** What a visit must bring for a page to show its main content (`domain::steps::Needs`). */
export type Needs = "Nothing" | "Flow" | "Link" | "Session" | "StaffPassword" | "StaffSession" | "Supervisor" | "Development";

/** A page of the page table, as the server declares it (`clave steps`); the 404 page has no path. */
type Listed = {
  path: string | null;
  title: string;
  title_en: string;
  caption: string | null;
  caption_en: string | null;
  back: string | null;
  needs: Needs;
  /** The page's step form holds values the language switch keeps: the switch's button belongs to it. */
  form: boolean;
};
export type StepPage = Listed & { path: string };

export const LISTED: Record<string, Listed> = JSON.parse(
  readFileSync(process.env.CLAVE_STEPS || `${__dirname}/../steps.json`, "utf8"),
);

/** The page `name` (e.g. "RecoveryIdentity") of the page table. */
export function step(name: string): StepPage {
  const found = LISTED[name];
  if (!found || found.path === null) throw new Error(`no page ${name} with a path in the page table`);
  return found as StepPage;
}

/** Every page of the table that a visit with `needs` opens, by name. */
export function pagesNeeding(needs: Needs): [string, StepPage][] {
  return Object.keys(LISTED)
    .filter((name) => LISTED[name].needs === needs && LISTED[name].path !== null)
    .map((name) => [name, step(name)]);
}

/** The address of step `name`, with a query string or not. */
export function at(name: string, opts: { query?: boolean } = {}): RegExp {
  const path = step(name).path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`${path}${opts.query ? "(\\?.*)?" : ""}$`);
}
