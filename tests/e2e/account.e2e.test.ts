import { describe, expect, it } from "vitest";
import { confirmSignUp, emailedLink, useBrowser } from "./browser";

const newPage = useBrowser();

describe("a visitor's account", () => {
  it("signs up, sees Mon compte, logs out and logs back in", async () => {
    const page = await newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Pôle de la Vallée Fertile");
    await page.getByRole("link", { name: "Créer un compte" }).click();

    // The browser checks the form with the same French rules as the server before sending it.
    await page.getByLabel("Nom et prénom").fill("Inès Garnier");
    await page.getByLabel("Adresse email").fill("ines@exemple.test");
    await page.getByLabel("Mot de passe").fill("court");
    const requests: string[] = [];
    page.on("request", (r) => r.method() === "POST" && requests.push(r.url()));
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await page.getByText("Le mot de passe doit compter au moins 12 caractères.").waitFor();
    expect(requests, "refused in the browser, nothing sent").toEqual([]);
    await page.getByLabel("Mot de passe").fill("un jardin partagé au soleil");
    // The message goes as soon as the password is long enough.
    await page.getByText("Le mot de passe doit compter au moins 12 caractères.").waitFor({ state: "detached" });
    await page.getByLabel("Organisation (facultatif)").fill("Les Semeurs");
    await page.getByRole("button", { name: "Créer mon compte" }).click();

    // No account yet: the address is confirmed by the link mailed to it, whose button creates the account.
    await page.getByRole("heading", { name: "Vérifiez votre boîte mail" }).waitFor();
    await page.getByText("Nous venons d'écrire à ines@exemple.test.").waitFor();
    await page.goto("/compte");
    await page.waitForURL("**/connexion?redirectTo=%2Fcompte");
    // The link asks again for the password chosen at sign-up: without it, whoever typed the address would own the account.
    await page.goto(
      await emailedLink(page, "ines@exemple.test", /confirmez votre adresse email/, /\/inscription\/confirmer\?jeton=/),
    );
    await page
      .getByText(/^Cette demande a été faite le \d{1,2} \S+ \d{4} à \d{2}:\d{2} \(heure de Paris\)\./)
      .waitFor();
    await page.getByLabel("Le mot de passe choisi à l'inscription").fill("un autre mot de passe");
    await page.getByRole("button", { name: "Confirmer et créer mon compte" }).click();
    await page
      .getByText(
        "Ce n'est pas le mot de passe choisi lors de l'inscription. Si vous n'avez pas demandé ce compte, ignorez ce lien.",
      )
      .waitFor();
    await confirmSignUp(page, "ines@exemple.test", "un jardin partagé au soleil");
    await page.waitForURL("**/compte?bienvenue=1");
    await page.getByText("Bienvenue, Inès Garnier ! Votre compte est créé.").waitFor();
    await expect(page.getByRole("heading", { name: "Mon compte" }).isVisible()).resolves.toBe(true);

    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.getByRole("link", { name: "Se connecter" }).waitFor();
    await page.goto("/compte");
    await page.waitForURL("**/connexion?redirectTo=%2Fcompte");

    await page.getByLabel("Adresse email").fill("ines@exemple.test");
    await page.getByLabel("Mot de passe", { exact: true }).fill("pas le bon");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByText("Email ou mot de passe incorrect.").waitFor();
    // What was typed stays, the password does not.
    await expect(page.getByLabel("Adresse email").inputValue()).resolves.toBe("ines@exemple.test");

    await page.getByLabel("Mot de passe", { exact: true }).fill("un jardin partagé au soleil");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForURL("**/compte");
    await page.getByText("ines@exemple.test").waitFor();
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.getByRole("link", { name: "Se connecter" }).waitFor();

    // Signing up again with the address answers the same page; the owner is mailed how to log in instead.
    await page.goto("/inscription");
    await page.getByLabel("Nom et prénom").fill("Quelqu'un d'autre");
    await page.getByLabel("Adresse email").fill("ines@exemple.test");
    await page.getByLabel("Mot de passe").fill("une autre phrase de passe");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await page.getByRole("heading", { name: "Vérifiez votre boîte mail" }).waitFor();
    expect(await emailedLink(page, "ines@exemple.test", /vous avez déjà un compte/, /\/connexion$/)).toBe("/connexion");
    page.assertNoConsoleErrors();
  });

  it("shows every offer's page and a French 404", async () => {
    const page = await newPage();
    await page.goto("/");
    await page.getByRole("navigation", { name: "Offres du pôle" }).getByRole("link", { name: "Espaces" }).click();
    await page.getByRole("heading", { level: 1, name: "Espaces de coworking" }).waitFor();
    await page.getByRole("link", { name: "Salle du Lavoir" }).waitFor();
    await page.goto("/");
    await page.getByRole("navigation", { name: "Offres du pôle" }).getByRole("link", { name: "Terres" }).click();
    await page.getByRole("heading", { level: 1, name: "Terres agricoles" }).waitFor();
    await page.getByRole("heading", { name: "Plan du site" }).waitFor();
    await page.goto("/");
    await page.getByRole("navigation", { name: "Offres du pôle" }).getByRole("link", { name: "Formations" }).click();
    await page.getByRole("heading", { level: 1, name: "Formations" }).waitFor();
    await page.getByText("Chaque formation a son programme détaillé", { exact: false }).waitFor();
    // The campaigns: the demo's live one first, its progress as a progress bar, and its page.
    await page.goto("/");
    await page
      .getByRole("navigation", { name: "Offres du pôle" })
      .getByRole("link", { name: "Financement participatif" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Financement participatif" }).waitFor();
    await page.getByRole("heading", { name: "Campagnes en cours" }).waitFor();
    await page.getByRole("progressbar").first().waitFor();
    await page.getByRole("link", { name: "La grange devient tiers-lieu" }).click();
    await page.getByRole("heading", { level: 1, name: "La grange devient tiers-lieu" }).waitFor();
    await page.getByRole("link", { name: "Contribuer" }).waitFor();
    const response = await page.goto("/nulle-part");
    expect(response?.status()).toBe(404);
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'.*frame-ancestors 'none'/);
    expect(headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
    });
    await page.getByRole("heading", { name: "Page introuvable" }).waitFor();
    page.assertNoConsoleErrors();
  });
});
