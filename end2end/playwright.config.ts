import { defineConfig } from "@playwright/test";

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const baseURL = process.env.CLAVE_BASE_URL || "http://127.0.0.1:3000";

const launchOptions = {
  executablePath: chromium,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

const desktop = { viewport: { width: 1280, height: 800 } };
const phone = {
  viewport: { width: 360, height: 640 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

// What only the browser's WASM does (the wizard's Back, Forward and failed
// posts); without JavaScript each step is a page load the journeys walk.
const withJavaScriptOnly = /wizard\.spec\.ts$/;
// The keyboard-only journeys need a Tab key: desktop only.
const withKeyboardOnly = /teclado\.spec\.ts$/;
// The journeys of a browser asking for English run on their own projects.
const inEnglish = /english\.spec\.ts$/;

// Each journey runs with JavaScript and without, on a desktop and a phone;
// the English journeys with JavaScript and without on a desktop.
export default defineConfig({
  testDir: "./tests",
  globalTeardown: "./a11y-coverage.ts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // What a screen reader gets, pinned per page (helpers.ts, expectPinnedAriaTree):
  // a missing file fails; `npx playwright test --update-snapshots` rewrites them.
  snapshotPathTemplate: "{testDir}/../aria/{projectName}/{testFileName}/{testName}/{arg}{ext}",
  updateSnapshots: "none",
  reporter: [["list"]],
  use: { baseURL, locale: "es-EC", launchOptions, trace: "off" },
  projects: [
    { name: "desktop-js", use: { ...desktop, javaScriptEnabled: true }, testIgnore: inEnglish },
    { name: "desktop-nojs", use: { ...desktop, javaScriptEnabled: false }, testIgnore: [withJavaScriptOnly, inEnglish] },
    { name: "phone-js", use: { ...phone, javaScriptEnabled: true }, testIgnore: [withKeyboardOnly, inEnglish] },
    {
      name: "phone-nojs",
      use: { ...phone, javaScriptEnabled: false },
      testIgnore: [withJavaScriptOnly, withKeyboardOnly, inEnglish],
    },
    { name: "desktop-js-en", use: { ...desktop, javaScriptEnabled: true, locale: "en-US" }, testMatch: inEnglish },
    { name: "desktop-nojs-en", use: { ...desktop, javaScriptEnabled: false, locale: "en-US" }, testMatch: inEnglish },
  ],
});
