import { mkdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parisDate } from "~/domain/ledger/dates";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { cents, confirmSignUp, logIn, streamActual, useBrowser } from "./browser";

// The land journey on the demo pole: a farmer applies from the site map (her account made on the way, once her
// address is confirmed by email), staff
// offer her the plot, she accepts, her lease and its first invoice appear, staff record her transfer, and the
// dashboard's land actual has grown by that rent.

const newPage = useBrowser();
const staffAccount = DEMO_ACCOUNTS.find((a) => a.role === "STAFF")!;
const SHOTS = process.env.SCREENSHOTS_DIR;

describe("a plot", () => {
  it("goes from the map to a lease, its first invoice, the recorded transfer and the dashboard", async () => {
    const staff = await newPage();
    await logIn(staff, staffAccount.email, staffAccount.password);
    const before = await streamActual(staff, /Terres agricoles/);

    // A visitor finds a free plot on the site plan and applies, creating her account on the way.
    const farmer = await newPage();
    await farmer.goto("/terres");
    await farmer.getByRole("link", { name: /^Parcelle P05, .*, libre$/ }).click();
    await farmer.waitForURL(/\/terres\/candidater/);
    await farmer.getByRole("heading", { name: "Candidater pour une parcelle" }).waitFor();
    await expect(farmer.getByLabel("1er choix").locator("option:checked").textContent()).resolves.toMatch(/^P05/);
    await farmer.getByLabel(/Espace-test agricole/).check();
    await farmer.getByLabel("Début souhaité").fill(parisDate(new Date()));
    await farmer
      .getByLabel("Votre projet")
      .fill("Plantes à parfum et aromatiques en agroécologie, distillation sur place, vente aux herboristeries.");
    await farmer.getByLabel("Nom et prénom").fill("Capucine Andrieu");
    await farmer.getByLabel("Adresse email").fill("capucine.andrieu@exemple.test");
    await farmer.getByLabel("Mot de passe", { exact: true }).fill("lavande et romarin du Lauragais");
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true });
      await farmer.screenshot({ path: `${SHOTS}/land-apply.png`, fullPage: true });
    }
    await farmer.getByRole("button", { name: "Envoyer ma candidature" }).click();
    // Her address is confirmed by the emailed link: its button creates her account and records the application.
    await farmer.getByRole("heading", { name: "Vérifiez votre boîte mail" }).waitFor();
    await confirmSignUp(
      farmer,
      "capucine.andrieu@exemple.test",
      "lavande et romarin du Lauragais",
      "Confirmer mon adresse et envoyer ma candidature",
    );
    await farmer.waitForURL(/\/compte\/terres\?candidature=enregistree/);
    await farmer
      .getByText(/n° \d+ sur la liste d'attente|\d+(e|re) sur la liste/)
      .first()
      .waitFor();

    // Staff find her application and offer her the plot.
    await staff.goto("/gestion/terres/candidatures?q=Capucine");
    await staff.getByRole("link", { name: "Capucine Andrieu" }).first().click();
    await staff
      .getByRole("heading", { name: /Capucine Andrieu/ })
      .first()
      .waitFor();
    await staff.getByRole("button", { name: "Proposer la parcelle" }).click();
    await staff.getByRole("status").filter({ hasText: "Parcelle proposée" }).waitFor();

    // She accepts: the lease and its first invoice are in her account.
    await farmer.goto("/compte/terres");
    await farmer.getByRole("button", { name: "Accepter" }).click();
    await farmer
      .getByRole("link", { name: /Voir la facture F-\d{4}-\d{4}/ })
      .first()
      .waitFor();
    const invoiceLink = farmer.getByRole("link", { name: /Voir la facture F-\d{4}-\d{4}/ }).first();
    const number = (await invoiceLink.getAttribute("aria-label"))!.replace("Voir la facture ", "");
    if (SHOTS) await farmer.screenshot({ path: `${SHOTS}/land-account.png`, fullPage: true });
    await invoiceLink.click();
    await farmer.getByRole("heading", { level: 1, name: `Facture ${number}` }).waitFor();
    await farmer.getByText("Exonération de TVA, article 261 D 1° du CGI").waitFor();
    const amount = cents((await farmer.locator(".invoice-totals dd.invoice-grand").textContent())!);

    // Staff record her transfer on the lease's page.
    await staff.goto("/gestion/terres/baux");
    await staff
      .getByRole("row", { name: /Capucine Andrieu/ })
      .getByRole("link")
      .first()
      .click();
    await staff.getByText("Paiement reçu…").click();
    await staff.getByLabel("Moyen de paiement").first().selectOption("TRANSFER");
    await staff.getByLabel("Référence").first().fill(`VIR ANDRIEU ${number}`);
    await staff.getByRole("button", { name: "Enregistrer le paiement" }).click();
    await staff.getByRole("status").filter({ hasText: "Paiement enregistré" }).waitFor();

    // The transfer is one entry of the bank journal, settling her invoice; she sees the instalment paid.
    await staff.goto("/gestion/comptabilite?journal=BQ");
    await staff.getByText(`Règlement de la facture ${number} — Capucine Andrieu`).waitFor();
    await expect(staff.getByText(`Règlement de la facture ${number} — Capucine Andrieu`).count()).resolves.toBe(1);
    await farmer.goto("/compte/terres");
    await farmer.getByText("Payée", { exact: true }).first().waitFor();

    // The rent is in the land actual (revenue is recognised when invoiced).
    expect(amount).toBeGreaterThan(0);
    expect(await streamActual(staff, /Terres agricoles/)).toBe(before + amount);
    farmer.assertNoConsoleErrors();
    staff.assertNoConsoleErrors();
  });
});
