import { mkdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { pdfText } from "../pdf-text";
import { logIn, useBrowser } from "./browser";

const newPage = useBrowser();
const account = (role: (typeof DEMO_ACCOUNTS)[number]["role"]) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const SHOTS = process.env.SCREENSHOTS_DIR;
const STREAMS = ["Coworking", "Terres agricoles", "Financement participatif", "Formations"];

describe("the annual report", () => {
  it("shows staff the demo year, its charts, each stream's section, and gives the PDF", async () => {
    const page = await newPage();
    await logIn(page, account("STAFF").email, account("STAFF").password);
    await page.goto("/gestion");
    await page
      .getByRole("navigation", { name: "Gestion du pôle" })
      .getByRole("link", { name: "Rapport annuel" })
      .click();
    await page.getByRole("heading", { name: /^Rapport annuel — Exercice \d{4}$/, level: 1 }).waitFor();

    await page.locator('[data-chart="ready"] svg.recharts-surface').nth(1).waitFor();
    await page.locator(".recharts-bar-rectangle path").first().waitFor();
    for (const name of STREAMS) await page.getByRole("heading", { name, level: 2 }).waitFor();
    // The report opens on the last ended year, whose demo plan is three quarters of this year's 48 000 €.
    await expect(
      page
        .getByRole("meter", { name: "Coworking : recettes réalisées sur le plan de l'exercice" })
        .getAttribute("aria-valuetext"),
    ).resolves.toMatch(/ sur 36\u202f000,00\u00a0€ prévus, \d+,\d\u00a0%$/);
    await page.getByRole("table", { name: /Recettes propres ÷/ }).waitFor();
    await page.getByRole("table", { name: /Produits, charges et résultat/ }).waitFor();
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/annual-report.png`, fullPage: true });
    }

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Télécharger le PDF" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^rapport-annuel-\d{4}\.pdf$/);
    const text = pdfText(await readFile((await download.path())!));
    for (const words of ["Pôle de la Vallée Fertile", "Rapport annuel", ...STREAMS]) expect(text).toContain(words);
    page.assertNoConsoleErrors();
  });

  it("lets a member read it from the transparency page, and keeps a user out", async () => {
    const page = await newPage();
    await logIn(page, account("MEMBER").email, account("MEMBER").password);
    await page.goto("/transparence");
    await page.getByRole("link", { name: "Le rapport annuel soumis à l'assemblée générale" }).click();
    await page.getByRole("heading", { name: /^Rapport annuel — Exercice \d{4}$/, level: 1 }).waitFor();
    for (const name of STREAMS) await page.getByRole("heading", { name, level: 2 }).waitFor();
    page.assertNoConsoleErrors();

    const user = await newPage();
    await logIn(user, account("USER").email, account("USER").password);
    const refused = await user.goto("/transparence/rapport-annuel");
    expect(refused?.status()).toBe(403);
    await user.getByText("Cette page est réservée aux membres du pôle.").waitFor();
  });
});
