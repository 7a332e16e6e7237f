import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { logIn, signUp, useBrowser } from "./browser";

const newPage = useBrowser();
const account = (role: (typeof DEMO_ACCOUNTS)[number]["role"]) => DEMO_ACCOUNTS.find((a) => a.role === role)!;

describe("the back office", () => {
  it("is refused to a plain user with a French 403 page", async () => {
    const page = await newPage();
    await logIn(page, account("USER").email, account("USER").password);
    const response = await page.goto("/gestion/personnes");
    expect(response?.status()).toBe(403);
    await page.getByRole("heading", { name: "Accès refusé" }).waitFor();
    expect(await page.content()).not.toContain(account("ADMIN").email);
    page.assertNoConsoleErrors();
  });

  it("lets staff open it and link a person to a member organisation", async () => {
    // A newcomer of its own: the demo user must stay a plain user for the other journeys.
    await signUp(await newPage(), "Noé Vidal", "noe.vidal@exemple.test", "un verger au bord du canal");
    const page = await newPage();
    await logIn(page, account("STAFF").email, account("STAFF").password);
    await page.getByRole("link", { name: "Gestion" }).click();
    await page.getByRole("heading", { name: /Gestion du Pôle de la Vallée Fertile/ }).waitFor();
    await page.getByRole("link", { name: "Personnes et rôles" }).click();
    await page.getByLabel("Rechercher").fill("Noé");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.getByRole("link", { name: "Noé Vidal" }).click();
    await page.getByLabel("Rôle sur le pôle").selectOption("MEMBER");
    await page.getByLabel("Travaille pour l'organisation").selectOption({ label: "Méthagri 31 (membre)" });
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.getByText("Modifications enregistrées.").waitFor();
    // Staff cannot hand out the admin role: the choice is not even offered.
    expect(await page.getByLabel("Rôle sur le pôle").locator("option").allTextContents()).not.toContain(
      "Administrateur·rice",
    );
    page.assertNoConsoleErrors();
  });

  it("lets the admin create an organisation and edit the pole's settings", async () => {
    const page = await newPage();
    await logIn(page, account("ADMIN").email, account("ADMIN").password);
    await page.goto("/gestion/organisations");
    await page.getByRole("link", { name: "Ajouter une organisation" }).click();
    await page.getByLabel("Nom").fill("Ferme-école du Canal");
    await page.getByLabel("Type").selectOption("COOPERATIVE");
    await page.getByRole("button", { name: "Créer l'organisation" }).click();
    await page.getByText("Organisation enregistrée.").waitFor();

    await page.goto("/gestion/parametres");
    await page.getByLabel("SIREN").fill("123456789");
    await page.getByRole("button", { name: "Enregistrer les paramètres" }).click();
    await page.getByText("Ce SIREN n'est pas valide (9 chiffres, clé de contrôle).").waitFor();
    await page.getByLabel("SIREN").fill("912345675");
    await page.getByLabel("Samedi").fill("09:00-12:00");
    await page.getByRole("button", { name: "Enregistrer les paramètres" }).click();
    await page.getByText("Paramètres enregistrés.").waitFor();
    await expect(page.getByLabel("Samedi").inputValue()).resolves.toBe("09:00-12:00");
    page.assertNoConsoleErrors();
  });
});
