import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";

// Debian's chromium (never a downloaded browser), with the flags that keep it off the closed network.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"];

export const baseUrl = () => inject("baseUrl");

export function useBrowser() {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  /** A fresh browser profile (no cookies) whose page fails the test on any console error (CSP included). */
  return async function newPage(): Promise<Page & { assertNoConsoleErrors: () => void }> {
    const context = await browser.newContext({ baseURL: baseUrl(), locale: "fr-FR", timezoneId: "Europe/Paris" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      // A 4xx page (403, 404) is logged by Chromium as a failed resource: expected in these journeys.
      if (message.type() === "error" && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
        errors.push(message.text());
      }
    });
    page.on("pageerror", (error) => errors.push(error.message));
    // Every document load waits for React to hydrate, so no click lands on a page that does not listen yet.
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await page.waitForSelector("html[data-hydrated]", { state: "attached" });
      return response;
    };
    return Object.assign(page, { assertNoConsoleErrors: () => expect(errors).toEqual([]) });
  };
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto("/connexion");
  await page.getByLabel("Adresse email").fill(email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/connexion"));
}

/** Signs up a new account through the form, so a journey that changes an account never touches the demo ones. */
export async function signUp(page: Page, name: string, email: string, password: string) {
  await page.goto("/inscription");
  await page.getByLabel("Nom et prénom").fill(name);
  await page.getByLabel("Adresse email").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await page.waitForURL("**/compte?bienvenue=1");
}

/** "12 345,67 €" → 1234567. */
export const cents = (text: string) => Number(text.replace(/[^\d,]/g, "").replace(",", ""));

/** A stream's actual to date on the staff dashboard, in cents (the row named like `stream`). */
export async function streamActual(page: Page, stream: RegExp) {
  await page.goto("/gestion/tableau-de-bord");
  const row = page.getByRole("table", { name: /Par flux de recettes/ }).getByRole("row", { name: stream });
  return cents((await row.getByRole("cell").nth(2).textContent())!);
}
