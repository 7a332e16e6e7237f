import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { logIn, useBrowser } from "./browser";

// The demo seed gives the demo user (Léa Fabre) invoices of the pole: land rent and coworking.
const newPage = useBrowser();
const account = (role: (typeof DEMO_ACCOUNTS)[number]["role"]) => DEMO_ACCOUNTS.find((a) => a.role === role)!;

describe("invoices", () => {
  it("a person finds an invoice in Mon compte, opens the printable page and downloads the PDF", async () => {
    const page = await newPage();
    await logIn(page, account("USER").email, account("USER").password);
    await page.goto("/compte");
    await page.getByRole("heading", { name: "Mes factures" }).waitFor();
    const firstView = page.getByRole("link", { name: /^Voir facture F-\d{4}-\d{4}$/ }).first();
    const label = (await firstView.getAttribute("aria-label"))!;
    const number = label.replace("Voir facture ", "");

    await firstView.click();
    await page.waitForURL(/\/factures\/[^/.]+$/);
    await page.getByRole("heading", { level: 1, name: `Facture ${number}` }).waitFor();
    await page.getByText("Facturé à").first().waitFor();
    await page.getByRole("button", { name: "Imprimer" }).waitFor();
    const invoiceUrl = page.url();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Télécharger le PDF" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    const file = await readFile((await download.path())!);
    expect(file.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // In print, only the sheet is left: no site header, no toolbar.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".site-header").isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Imprimer" }).isVisible()).toBe(false);
    expect(await page.locator(".invoice-sheet").isVisible()).toBe(true);
    page.assertNoConsoleErrors();

    // Someone else gets the same 404 as for an invoice that does not exist.
    const stranger = await newPage();
    await logIn(stranger, account("MEMBER").email, account("MEMBER").password);
    expect((await stranger.goto(invoiceUrl))?.status()).toBe(404);
    expect((await stranger.request.get(`${invoiceUrl}.pdf`)).status()).toBe(404);
    stranger.assertNoConsoleErrors();
  });

  it("staff find the invoice in the back office with its ledger entry", async () => {
    const page = await newPage();
    await logIn(page, account("STAFF").email, account("STAFF").password);
    await page.goto("/gestion/factures");
    await page.getByRole("heading", { name: "Factures et avoirs" }).waitFor();
    await page.getByLabel("Rechercher").fill("Léa Fabre");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.waitForURL(/q=/);
    // The URL changes as the filtered list arrives: wait for its rows, so the number read is the one clicked.
    const row = page.getByRole("row").filter({ hasText: "Léa Fabre" }).first();
    await row.waitFor();
    const first = row.getByRole("rowheader").getByRole("link");
    const number = (await first.textContent())!;
    await first.click();
    await page.getByRole("heading", { level: 1, name: new RegExp(number) }).waitFor();
    await page.getByRole("link", { name: "Écriture comptable" }).waitFor();
    await page.getByRole("link", { name: "Page imprimable" }).waitFor();
    page.assertNoConsoleErrors();
  });
});
