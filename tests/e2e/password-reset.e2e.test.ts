import { describe, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { logIn, signUp, useBrowser } from "./browser";

const newPage = useBrowser();

describe("a forgotten password", () => {
  it("is reset through the emailed link, read from the outbox by staff", async () => {
    // An account of its own: changing a demo account's password would break the journeys that log in with it.
    const forgetful = { email: "oubli@exemple.test", password: "ma première phrase de passe" };
    const staff = DEMO_ACCOUNTS.find((a) => a.role === "STAFF")!;
    await signUp(await newPage(), "Rémi Oubli", forgetful.email, forgetful.password);

    const person = await newPage();
    await person.goto("/connexion");
    await person.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await person.getByRole("heading", { name: "Mot de passe oublié" }).waitFor();
    await person.getByText("nous vous enverrons un lien valable 60 minutes").waitFor();
    await person.getByLabel("Adresse email").fill(forgetful.email);
    await person.getByRole("button", { name: "Recevoir le lien" }).click();
    await person.getByText("Si un compte existe avec cette adresse").waitFor();

    // No SMTP server on this machine: the message waits in the outbox, which staff read in the back office.
    const desk = await newPage();
    await logIn(desk, staff.email, staff.password);
    await desk.goto("/gestion/emails");
    await desk
      .getByRole("row", { name: new RegExp(forgetful.email) })
      .getByRole("link", { name: /réinitialisation/ })
      .first()
      .click();
    const link = await desk.getByRole("link", { name: /reinitialiser-mot-de-passe\?token=/ }).getAttribute("href");

    await person.goto(new URL(link!).pathname + new URL(link!).search);
    await person.getByLabel("Nouveau mot de passe").fill("une nouvelle phrase de passe");
    await person.getByLabel("Confirmez le mot de passe").fill("une nouvelle phrase de passe");
    await person.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await person.getByText("Votre mot de passe a été changé.").waitFor();

    await logIn(person, forgetful.email, "une nouvelle phrase de passe");
    await person.getByRole("heading", { name: "Mon compte" }).waitFor();

    // The same link a second time is refused, in French.
    await person.goto(new URL(link!).pathname + new URL(link!).search);
    await person.getByLabel("Nouveau mot de passe").fill("encore une autre phrase");
    await person.getByLabel("Confirmez le mot de passe").fill("encore une autre phrase");
    await person.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await person.getByText("Ce lien a déjà servi. Demandez un nouveau lien si besoin.").waitFor();
    person.assertNoConsoleErrors();
    desk.assertNoConsoleErrors();
  });
});
