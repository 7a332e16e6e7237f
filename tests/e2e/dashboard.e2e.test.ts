import { mkdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { logIn, useBrowser } from "./browser";

const newPage = useBrowser();
const account = (role: (typeof DEMO_ACCOUNTS)[number]["role"]) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const SHOTS = process.env.SCREENSHOTS_DIR;

describe("the autofinancement dashboard", () => {
  it("shows staff the demo year's plan vs actual as charts, with the ratio and the same figures as tables", async () => {
    const page = await newPage();
    await logIn(page, account("STAFF").email, account("STAFF").password);
    await page.goto("/gestion");
    await page.getByRole("link", { name: "Tableau de bord" }).first().click();
    await page.getByRole("heading", { name: "Tableau de bord", level: 1 }).waitFor();

    // Charts render after hydration: three SVG charts with bars drawn from the demo's entries.
    await page.locator('[data-chart="ready"] svg.recharts-surface').first().waitFor();
    await expect(page.locator('[data-chart="ready"] svg.recharts-surface').count()).resolves.toBeGreaterThanOrEqual(3);
    await page.locator(".recharts-bar-rectangle path").first().waitFor();

    const meter = page.getByRole("meter", { name: "Taux d'autofinancement à date" });
    await expect(meter.getAttribute("aria-valuetext")).resolves.toMatch(/^\d+,\d\u00a0%, objectif \d+,\d\u00a0%$/);
    await page.getByRole("table", { name: "Prévu, réalisé et prévisions par mois" }).waitFor();
    const streams = page.getByRole("table", { name: /Par flux de recettes/ });
    await expect(streams.getByRole("row", { name: /Coworking/ }).textContent()).resolves.toContain(
      "48\u202f000,00\u00a0€",
    );
    await expect(
      page
        .getByRole("table", { name: /Autofinancement/ })
        .getByRole("row", { name: /Subventions \(74\)/ })
        .textContent(),
    ).resolves.toMatch(/120\u202f000,00/);

    // The period picker narrows the months (a GET form).
    const months = await page
      .getByLabel("Du mois de")
      .locator("option")
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    await page.getByLabel("Du mois de").selectOption(months[0]);
    await page.getByLabel("Au mois de").selectOption(months[2]);
    await page.getByRole("button", { name: "Afficher" }).click();
    await page.waitForURL(/au=/);
    const monthRows = page.getByRole("table", { name: "Prévu, réalisé et prévisions par mois" }).locator("tbody tr");
    await monthRows.nth(3).waitFor({ state: "detached" });
    await expect(monthRows.count()).resolves.toBe(3);

    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true });
      await page.goto("/gestion/tableau-de-bord");
      await page.locator(".recharts-bar-rectangle path").first().waitFor();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SHOTS}/dashboard-desktop.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${SHOTS}/dashboard-390.png`, fullPage: true });
      await page.locator(".kpi-grid").screenshot({ path: `${SHOTS}/dashboard-390-kpis.png` });
      await page.locator(".chart-grid").screenshot({ path: `${SHOTS}/dashboard-390-charts.png` });
      await page.locator(".dashboard-tables").screenshot({ path: `${SHOTS}/dashboard-390-tables.png` });
      await page.goto("/gestion/plan-d-affaires");
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: `${SHOTS}/plan-desktop.png`, fullPage: true });
    }
    page.assertNoConsoleErrors();
  });

  it("lets staff fix a plan line with a French message on a bad amount", async () => {
    const page = await newPage();
    await logIn(page, account("STAFF").email, account("STAFF").password);
    await page.goto("/gestion/plan-d-affaires");
    await page.getByLabel("Flux de recettes").selectOption("OTHER");
    await page.getByLabel("Libellé").fill("Vente de compost en vrac");
    await page.getByLabel("Période").selectOption("YEAR");
    await page.getByLabel("Montant (€)").fill("mille euros");
    await page.getByRole("button", { name: "Ajouter la ligne" }).click();
    await page.getByText("Indiquez un montant positif en euros, par exemple 1 250,00.").waitFor();
    await page.getByLabel("Montant (€)").fill("1 500,00");
    await page.getByRole("button", { name: "Ajouter la ligne" }).click();
    await page.getByText("Ligne ajoutée au plan.").waitFor();
    await page.getByRole("row", { name: /Vente de compost en vrac/ }).waitFor();
    page.assertNoConsoleErrors();
  });

  it("lets a member open the read-only transparency view from the header, without links into the accounting", async () => {
    const page = await newPage();
    await logIn(page, account("MEMBER").email, account("MEMBER").password);
    await page.getByRole("link", { name: "Transparence" }).click();
    await page.waitForURL("**/transparence");
    await page.getByRole("heading", { name: /Les comptes du Pôle de la Vallée Fertile/ }).waitFor();
    await page.locator('[data-chart="ready"] svg.recharts-surface').first().waitFor();
    await page.getByRole("meter", { name: "Taux d'autofinancement à date" }).waitFor();
    const hrefs = await page.locator("main a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs.filter((h) => h.startsWith("/gestion"))).toEqual([]);
    const text = await page.locator("main").textContent();
    for (const thirdParty of ["Léa Fabre", "Compost'Lauragais", "Maraîchers", "F-20"])
      expect(text).not.toContain(thirdParty);
    page.assertNoConsoleErrors();
  });

  it("refuses the transparency view to a plain user", async () => {
    const page = await newPage();
    await logIn(page, account("USER").email, account("USER").password);
    await expect(page.getByRole("link", { name: "Transparence" }).count()).resolves.toBe(0);
    const response = await page.goto("/transparence");
    expect(response?.status()).toBe(403);
    await page.getByText("Cette page est réservée aux membres du pôle.").waitFor();
    page.assertNoConsoleErrors();
  });
});
