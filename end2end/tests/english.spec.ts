import { expect, Page, test } from "@playwright/test";
import {
  DEMO_CLAVE,
  LISTED,
  STAFF_CLAVE,
  answerFor,
  documentLoads,
  expectAccessiblePage,
  expectCodeLinkPage,
  expectStep,
  jsEnabled,
  mailedCode,
  newestMail,
  pagesNeeding,
  passCaptcha,
  ready,
  at,
  step,
  totpCode,
} from "./helpers";

// The journeys of a person whose browser asks for English (the `-en`
// projects): every step, its errors and the mails in English, with and
// without JavaScript. Each project has its own people.

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

const NEWCOMERS: Record<string, { cedula: string; date: [string, string, string]; dactilar: string; name: string }> = {
  "desktop-js-en": { cedula: "1724445554", date: ["11", "2", "1990"], dactilar: "P1313Q2424", name: "Nancy Elizabeth Quishpe Andrango" },
  "desktop-nojs-en": { cedula: "0917778888", date: ["5", "8", "1966"], dactilar: "R3535S4646", name: "Washington Efraín Macías Zambrano" },
};

const RECOVERING: Record<string, { cedula: string; day: string; month: string; email: string; name: string }> = {
  "desktop-js-en": { cedula: "0805556669", day: "27", month: "1", email: "mercedes.cortez@example.com", name: "Mercedes Alexandra Cortez Valencia" },
  "desktop-nojs-en": { cedula: "1712349875", day: "14", month: "10", email: "fausto.villacis@example.org", name: "Fausto Ramiro Villacís Herrera" },
};

async function signIn(page: Page, cedula: string, password: string) {
  await page.getByLabel("ID number (cédula)").fill(cedula);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("English · the journeys", () => {
  test("getting a password in English: every step, its errors and the mails", async ({ page }, testInfo) => {
    const who = NEWCOMERS[testInfo.project.name];
    const email = `english.${testInfo.project.name}@example.net`;
    const password = `hummingbird over the volcano ${testInfo.project.name}`;
    await page.goto(step("Home").path);
    await ready(page, testInfo);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("main").getByRole("link", { name: "Get a password" }).click();
    await expectStep(page, testInfo, "RequestStart", "Get your password for the first time");
    await page.getByRole("link", { name: "Start now" }).click();
    await expect(page).toHaveURL(at("RequestSearch"));
    const loads = documentLoads(page);
    await ready(page, testInfo);
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("What is your ID number (cédula)?").fill(who.cedula);
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Search" }).click();
    await expectStep(page, testInfo, "RequestIdentity", "Confirm your identity");

    const prove = async (dactilar: string) => {
      await page.getByLabel("Day").fill(who.date[0]);
      await page.getByLabel("Month").fill(who.date[1]);
      await page.getByLabel("Year").fill(who.date[2]);
      await page.getByLabel("Fingerprint code (código dactilar)").fill(dactilar);
      await page.getByRole("button", { name: "Continue" }).click();
    };
    await prove("Z9999Z9999");
    await expect(page.locator(".error-summary")).toContainText("There is a problem");
    await expect(page).toHaveTitle(/^Error: .*Confirm your identity/);
    await expectAccessiblePage(page, testInfo);
    await prove(who.dactilar);
    await expectStep(page, testInfo, "RequestContact", "How can we contact you?");

    const since = Date.now() - 2_000;
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel("Mobile phone (optional)").fill("099 123 4567");
    await page.getByRole("button", { name: "Send code" }).click();
    await expectStep(page, testInfo, "RequestCode", "Enter the code we sent you");
    const { code, link } = await mailedCode(page, email, since);
    await expectCodeLinkPage(page, testInfo, link);
    const codeMail = await newestMail(page, email, /code/, since);
    expect(codeMail.subject).toBe(`Your verification code is ${code}`);
    await page.getByLabel("Enter the code we sent you").fill(code);
    await page.getByRole("button", { name: "Continue" }).click();

    await expectStep(page, testInfo, "RequestQuestions", "Choose your security questions");
    for (const n of [1, 2, 3, 4]) {
      await page.getByLabel(`Question ${n}`, { exact: true }).selectOption({ index: n });
      await page.getByLabel(`Answer ${n}`).fill(`answer number ${n}`);
    }
    await page.getByRole("button", { name: "Continue" }).click();

    await expectStep(page, testInfo, "RequestNewClave", "Create your password");
    await page.getByLabel("New password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create password" }).click();
    await expect(page.locator(".error-summary")).toContainText("There is a problem");
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("New password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create password" }).click();
    await expectStep(page, testInfo, "RequestDone", "Your password has been created");
    // With JavaScript, step 1 is the last document loaded: the wizard shows the rest in place.
    if (jsEnabled(testInfo)) expect(loads(), "documents loaded after step 1, to the end").toBe(0);
    const notice = await newestMail(page, email, /has been created/, since);
    expect(notice.subject).toBe("Your online services password has been created");
    expect(notice.text).not.toContain(password);
    // "It was not me": its page, opened from the notice (not confirmed here).
    const notMe = /(https?:\/\/\S+\/no-fui-yo\?t=[0-9a-f]{64})/.exec(notice.text)![1];
    const tab = await page.context().newPage();
    try {
      await tab.goto(new URL(notMe).pathname + new URL(notMe).search);
      await ready(tab, testInfo);
      await expect(tab).toHaveTitle(`${step("NotMe").title_en} – Clave`);
      await expectAccessiblePage(tab, testInfo);
    } finally {
      await tab.close();
    }

    await page.getByRole("link", { name: "Finish" }).click();
    await expect(page).toHaveURL(at("SignIn"));
    await ready(page, testInfo);
    await signIn(page, who.cedula, password);
    await expectStep(page, testInfo, at("Services"), "Online services");
    await expect(page.locator(".affiliate-name")).toHaveText(who.name);
  });

  test("recovering a password in English: every step, its errors and the mails", async ({ page }, testInfo) => {
    const who = RECOVERING[testInfo.project.name];
    const password = `slow tortoise crossing ${testInfo.project.name}`;
    await page.goto(step("RecoveryStart").path);
    await ready(page, testInfo);
    await expect(h1(page)).toHaveText("Recover your password");
    await expectAccessiblePage(page, testInfo);
    await page.getByRole("link", { name: "Start now" }).click();
    await expect(page).toHaveURL(at("RecoverySearch"));
    const loads = documentLoads(page);
    await ready(page, testInfo);
    await page.getByLabel("What is your ID number (cédula)?").fill("17143071");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.locator(".error-summary")).toContainText("There is a problem");
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("What is your ID number (cédula)?").fill(who.cedula);
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Search" }).click();
    await expectStep(page, testInfo, "RecoveryIdentity", "What is your date of birth?");

    await page.getByLabel("Day").fill(who.day === "1" ? "2" : "1");
    await page.getByLabel("Month").fill(who.month);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator(".error-summary")).toContainText("There is a problem");
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("Day").fill(who.day);
    await page.getByLabel("Month").fill(who.month);
    await page.getByRole("button", { name: "Continue" }).click();
    await expectStep(page, testInfo, "RecoveryConfirm", "Confirm your details");

    const since = Date.now() - 2_000;
    await page.getByRole("button", { name: "Send code" }).click();
    await expectStep(page, testInfo, "RecoveryCode", "Enter the code we sent you");
    const { code, link } = await mailedCode(page, who.email, since);
    await expectCodeLinkPage(page, testInfo, link);
    await page.getByLabel("Enter the code we sent you").fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator(".error-summary")).toContainText("There is a problem");
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("Enter the code we sent you").fill(code);
    await page.getByRole("button", { name: "Continue" }).click();

    await expectStep(page, testInfo, "RecoveryQuestions", "Answer your security questions");
    const labels = page.locator("form label");
    await expect(labels).toHaveCount(2);
    for (const i of [0, 1]) {
      const q = (await labels.nth(i).textContent())!;
      await page.getByLabel(q).fill(answerFor(q));
    }
    await page.getByRole("button", { name: "Continue" }).click();

    await expectStep(page, testInfo, "RecoveryNewClave", "Create your new password");
    await page.getByLabel("New password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create password" }).click();
    await expectStep(page, testInfo, "RecoveryDone", "Your password has been reset");
    // With JavaScript, step 1 is the last document loaded: the wizard shows the rest in place.
    if (jsEnabled(testInfo)) expect(loads(), "documents loaded after step 1, to the end").toBe(0);
    const notice = await newestMail(page, who.email, /has changed/, since);
    expect(notice.subject).toBe("Your online services password has changed");
    expect(notice.text).not.toContain(password);

    await page.getByRole("link", { name: "Finish" }).click();
    await expect(page).toHaveURL(at("SignIn"));
    await ready(page, testInfo);
    await expectAccessiblePage(page, testInfo);
    await signIn(page, who.cedula, DEMO_CLAVE);
    await expect(page.locator(".error-summary")).toContainText("There is a problem");
    await expectAccessiblePage(page, testInfo);
    await signIn(page, who.cedula, password);
    await expectStep(page, testInfo, at("Services"), "Online services");
    await expect(page.locator(".affiliate-name")).toHaveText(who.name);
  });

  test("the way without the registered e-mail, as far as the new address, in English", async ({ page }, testInfo) => {
    const who = RECOVERING[testInfo.project.name];
    await page.goto(step("RecoverySearch").path);
    await ready(page, testInfo);
    await page.getByLabel("What is your ID number (cédula)?").fill(who.cedula);
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Search" }).click();
    await expectStep(page, testInfo, "RecoveryIdentity", "What is your date of birth?");
    await page.getByLabel("Day").fill(who.day);
    await page.getByLabel("Month").fill(who.month);
    await page.getByRole("button", { name: "Continue" }).click();
    await expectStep(page, testInfo, "RecoveryConfirm", "Confirm your details");
    await page.getByRole("button", { name: "I cannot access this e-mail address" }).click();
    await expectStep(page, testInfo, "RecoveryAllAnswers", /\S/);
    const labels = page.locator("form label");
    await expect(labels).toHaveCount(4);
    for (const i of [0, 1, 2, 3]) {
      const q = (await labels.nth(i).textContent())!;
      await page.getByLabel(q).fill(answerFor(q));
    }
    await page.getByRole("button", { name: "Continue" }).click();
    await expectStep(page, testInfo, "RecoveryNewEmail", /\S/);
  });

  test("every page a visit opens with nothing in hand, the 404 page and the development mailbox, in English", async ({
    page,
  }, testInfo) => {
    for (const [name, p] of pagesNeeding("Nothing").concat(pagesNeeding("Development"))) {
      await page.goto(p.path);
      await ready(page, testInfo);
      await expect(page.locator("html"), name).toHaveAttribute("lang", "en");
      await expect(page, name).toHaveTitle(`${p.title_en} – Clave`);
      await expectAccessiblePage(page, testInfo);
    }
    const missing = await page.goto("/no-existe");
    expect(missing?.status()).toBe(404);
    await expect(page).toHaveTitle(`${LISTED.NotFound.title_en} – Clave`);
    await expectAccessiblePage(page, testInfo);
  });

  test("a call-back request and the staff console, in English", async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const who = RECOVERING[testInfo.project.name];
    await page.goto(step("Callback").path);
    await ready(page, testInfo);
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page.locator(".error-summary")).toContainText("There is a problem");
    await expect(page).toHaveTitle(/^Error: /);
    await expectAccessiblePage(page, testInfo);
    await page.getByLabel("ID number (cédula)").fill(who.cedula);
    await page.getByLabel("Country of the phone number").selectOption({ label: "Ecuador" });
    await page.getByLabel("Phone number", { exact: true }).fill("099 123 4567");
    await page.getByLabel("When would you like us to call you?").selectOption("afternoon");
    await page.getByLabel(/I allow the Institute/).check();
    await passCaptcha(page, testInfo);
    await page.getByRole("button", { name: "Send request" }).click();
    await expectStep(page, testInfo, /\/contacto\/recibida\?referencia=CB-/, "We have received your request");

    // A supervisor's first sign-in: the password, the second factor set up.
    const username = `supervisor.${testInfo.project.name}`;
    await page.goto(step("StaffSignIn").path);
    await ready(page, testInfo);
    await page.getByLabel("User name").fill(username);
    await page.getByLabel("Password", { exact: true }).fill(STAFF_CLAVE);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectStep(page, testInfo, at("StaffFactor"), "Set up your second factor");
    const secret = ((await page.locator("#secreto").textContent()) ?? "").replace(/\s/g, "");
    await page.getByLabel("Verification code").fill(totpCode(secret, Date.now() / 1000));
    await page.getByRole("button", { name: "Turn on and continue" }).click();
    await expectStep(page, testInfo, at("StaffQueue", { query: true }), "Call-back requests");
    await page.goto(`${step("StaffAffiliate").path}?cedula=${who.cedula}`);
    await expectStep(page, testInfo, at("StaffAffiliate", { query: true }), /\S/);
    await page.goto(step("StaffSupervision").path);
    await expectStep(page, testInfo, "StaffSupervision", /\S/);
  });
});
