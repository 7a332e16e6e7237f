import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { logIn, useBrowser } from "./browser";

const newPage = useBrowser();
const staff = DEMO_ACCOUNTS.find((a) => a.role === "STAFF")!;
// Set SHOTS_DIR to keep screenshots of the screens (e.g. SHOTS_DIR=/tmp/shots).
const shots = process.env.SHOTS_DIR;

describe("the books", () => {
  it("lets staff enter a subsidy, find it in the journal and reverse it with a reason", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await logIn(page, staff.email, staff.password);
    await page.goto("/gestion/comptabilite/ecritures/nouvelle");
    await page.getByRole("link", { name: "Subvention reçue" }).click();
    await page.waitForURL(/modele=subvention/);
    // The model's accounts fill the first two lines once the new form is rendered.
    await page.waitForFunction(
      () => (document.querySelector('select[name="lines[1].account"]') as HTMLSelectElement | null)?.value === "740000",
    );
    await expect(page.getByLabel("Compte, ligne 1").inputValue()).resolves.toBe("512000");
    await expect(page.getByLabel("Compte, ligne 2").inputValue()).resolves.toBe("740000");
    await expect(page.getByLabel("Journal").inputValue()).resolves.toBe("BQ");

    await page
      .getByLabel("Libellé", { exact: true })
      .fill("Subvention d'exploitation — Département de la Haute-Garonne");
    await page.getByLabel("Référence de la pièce").fill("CD31-2026-07");
    await page.getByLabel("Débit, ligne 1").fill("12 500,00");

    // The live indicator follows what is typed; the button says why it would not record yet.
    const indicator = page.getByRole("status").filter({ hasText: "Débit total" });
    await indicator.getByText(/Écart\s*12\s500,00\s€/).waitFor();
    const submit = page.getByRole("button", { name: "Enregistrer l'écriture" });
    await expect(submit.getAttribute("aria-disabled")).resolves.toBe("true");
    await page.getByText(/Le débit et le crédit doivent être égaux : il reste un écart de 12\s500,00\s€\./).waitFor();
    // aria-disabled, not disabled: pressing it anyway shows the French reason on the lines.
    await submit.press("Enter");
    await page.getByText(/L'écriture n'est pas équilibrée/).waitFor();

    await page.getByLabel("Crédit, ligne 2").fill("12500");
    await indicator.getByText(/Écart\s*0,00\s€/).waitFor();
    await expect(submit.getAttribute("aria-disabled")).resolves.toBeNull();
    if (shots) await page.screenshot({ path: `${shots}/ledger-new-entry.png`, fullPage: true });
    await submit.click();

    await page.waitForURL(/\/gestion\/comptabilite\/ecritures\/[^/]+\?enregistree$/);
    await page.getByRole("heading", { name: "Subvention d'exploitation — Département de la Haute-Garonne" }).waitFor();
    await page.getByText("Saisie manuelle").waitFor();

    await page.getByRole("navigation", { name: "Comptabilité" }).getByRole("link", { name: "Journal" }).click();
    await page.getByLabel("Flux").selectOption("SUBSIDY");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.waitForURL(/stream=SUBSIDY/);
    const link = page.getByRole("link", { name: "Subvention d'exploitation — Département de la Haute-Garonne" });
    if (shots) await page.screenshot({ path: `${shots}/ledger-journal.png`, fullPage: true });
    await link.click();

    await page.getByRole("button", { name: "Contrepasser" }).click();
    await page.getByText("Indiquez la raison de la contrepassation.").waitFor();
    await page.getByLabel("Raison de la contrepassation").fill("Montant saisi deux fois");
    await page.getByRole("button", { name: "Contrepasser" }).click();
    await page.getByText("L'écriture a été contrepassée.").waitFor();
    await page.getByText(/Contrepassée le .* \(Montant saisi deux fois\)/).waitFor();
    expect(await page.getByRole("button", { name: "Contrepasser" }).count()).toBe(0);
    if (shots) await page.screenshot({ path: `${shots}/ledger-entry-reversed.png`, fullPage: true });

    await page.getByRole("link", { name: "voir l'écriture de contrepassation" }).click();
    await page
      .getByRole("heading", { name: "Contrepassation — Subvention d'exploitation — Département de la Haute-Garonne" })
      .waitFor();
    await page.getByText(/raison : Montant saisi deux fois/).waitFor();

    await page.goto("/gestion/comptabilite?account=740000");
    await page
      .getByRole("link", { name: "Contrepassation — Subvention d'exploitation — Département de la Haute-Garonne" })
      .waitFor();
    page.assertNoConsoleErrors();
  });
});
