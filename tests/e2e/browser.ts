import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";

// Debian's chromium (never a downloaded browser), with the flags that keep it off the closed network.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

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
      if (
        message.type() === "error" &&
        !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
      ) {
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

/**
 * The link (path and query) of the latest email to `to` whose subject matches: there is no SMTP server here, so
 * it is read the way staff read the outbox, at /gestion/emails, in a browser context of its own.
 */
export async function emailedLink(page: Page, to: string, subject: RegExp, href: RegExp) {
  const staff = DEMO_ACCOUNTS.find((a) => a.role === "STAFF")!;
  const context = await page
    .context()
    .browser()!
    .newContext({ baseURL: baseUrl(), locale: "fr-FR", timezoneId: "Europe/Paris" });
  try {
    const desk = await context.newPage();
    await logIn(desk, staff.email, staff.password);
    await desk.goto("/gestion/emails");
    await desk
      .getByRole("row", { name: new RegExp(to.replace(/[.+]/g, "\\$&")) })
      .getByRole("link", { name: subject })
      .first()
      .click();
    const url = new URL((await desk.getByRole("link", { name: href }).first().getAttribute("href"))!);
    return url.pathname + url.search;
  } finally {
    await context.close();
  }
}

/** Opens the sign-up confirmation mailed to `email`, types the password chosen at sign-up and presses its button (the link alone changes nothing). */
export async function confirmSignUp(
  page: Page,
  email: string,
  password: string,
  button: string | RegExp = "Confirmer et créer mon compte",
) {
  await page.goto(await emailedLink(page, email, /confirmez votre adresse email/, /\/inscription\/confirmer\?jeton=/));
  await page.getByLabel("Le mot de passe choisi à l'inscription").fill(password);
  await page.getByRole("button", { name: button }).click();
}

/** Signs up a new account through the form and its emailed link, so a journey that changes an account never touches the demo ones. */
export async function signUp(page: Page, name: string, email: string, password: string) {
  await page.goto("/inscription");
  await page.getByLabel("Nom et prénom").fill(name);
  await page.getByLabel("Adresse email").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await page.getByRole("heading", { name: "Vérifiez votre boîte mail" }).waitFor();
  // Read once hydrated: a lifetime imported from a .server module would vanish in the browser ("valable  heures").
  await page.getByText(/un lien, valable 24 heures, pour la confirmer/).waitFor();
  await confirmSignUp(page, email, password);
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
