import { mkdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { addDays } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/dates";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { cents, logIn, streamActual, useBrowser } from "./browser";

// The crowdfunding journey on the demo pole (no Stripe keys: the offline path): staff shape a small all-or-nothing
// campaign — a coworking booklet as reward, and a plain gift — and publish it; Léa pledges the booklet and a
// member gives 20 €, both by transfer; staff record the transfers with the amounts that came and close the campaign
// now, as a success; the booklet is in Léa's account, the gift in the dashboard's crowdfunding actual, and the
// booklet's price among the revenue deferred until it is used (a reward that is a booklet is a sale recognised as
// its credits are spent, decision 019).

const newPage = useBrowser();
const staffAccount = DEMO_ACCOUNTS.find((a) => a.role === "STAFF")!;
const lea = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
const member = DEMO_ACCOUNTS.find((a) => a.role === "MEMBER")!;
const SHOTS = process.env.SCREENSHOTS_DIR;

describe("a crowdfunding campaign", () => {
  it("goes from a draft to a pledge, its transfer, a success, a booklet and the dashboard", async () => {
    const staff = await newPage();
    await logIn(staff, staffAccount.email, staffAccount.password);
    const before = await streamActual(staff, /Financement participatif/);

    // Staff shape the campaign: a goal of 100 €, ten days, one reward that becomes a coworking booklet.
    const today = parisDate(new Date());
    await staff.goto("/gestion/financement/nouvelle");
    await staff.getByLabel("Titre").fill("Des tables pour la salle commune");
    await staff.getByLabel("Adresse de la campagne").fill("tables-salle-commune");
    await staff.getByLabel("Objectif (€)").fill("100");
    await staff.getByLabel("Mode").selectOption("ALL_OR_NOTHING");
    await staff.getByLabel("Ouverture le").fill(today);
    await staff.getByLabel("Date limite").fill(addDays(today, 10));
    await staff.getByRole("button", { name: "Créer le brouillon" }).click();
    await staff.waitForURL(/\/gestion\/financement\/\w+\?fait=creee/);
    const campaignPath = new URL(staff.url()).pathname;

    const tier = staff.locator("details", { hasText: "Ajouter une contrepartie" });
    const name = tier.getByPlaceholder("Carnet de 10 demi-journées");
    // A click before the page is hydrated may be undone by it: open the section until its form shows.
    const openTierForm = async () => {
      for (let i = 0; i < 5 && !(await name.isVisible()); i++) {
        await tier.locator("summary").click();
        await staff.waitForTimeout(200);
      }
    };
    await openTierForm();
    await name.fill("Carnet de 10 demi-journées");
    await tier.getByLabel("Type").selectOption("REWARD");
    await tier.getByLabel("Prix (€)").fill("120");
    await tier.getByLabel("Taux de TVA").selectOption("2000");
    await tier.getByLabel("Ce que devient la contrepartie").selectOption("BOOKLET");
    await tier.getByLabel("Carnet de coworking").selectOption({ label: "Carnet 10 demi-journées" });
    await tier.getByRole("button", { name: "Ajouter la contrepartie" }).click();
    await staff.getByText("Carnet de 10 demi-journées").first().waitFor();
    await openTierForm();
    await name.fill("Merci !");
    await tier.getByLabel("Type").selectOption("GIFT");
    await tier.getByLabel("Montant minimum (€)").fill("5");
    await tier.getByRole("button", { name: "Ajouter la contrepartie" }).click();
    await staff.getByText("Merci !").first().waitFor();
    await staff.getByRole("button", { name: "Publier la campagne" }).click();
    await staff.getByText("Publiée").first().waitFor();

    // Léa finds it on /financement and pledges the booklet with 15 € on top, by transfer.
    const citizen = await newPage();
    await logIn(citizen, lea.email, lea.password);
    await citizen.goto("/financement");
    await citizen
      .getByRole("link", { name: /Des tables pour la salle commune/ })
      .first()
      .click();
    await citizen.waitForURL(/\/financement\/tables-salle-commune$/);
    await citizen.goto("/financement/tables-salle-commune/contribuer");
    await citizen.getByRole("radio", { name: /Carnet de 10 demi-journées/ }).check();
    await citizen.getByLabel("Montant").fill("120");
    await citizen.getByRole("radio", { name: /Virement/ }).check();
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true });
      await citizen.screenshot({ path: `${SHOTS}/crowdfunding-pledge.png`, fullPage: true });
    }
    await citizen.getByRole("button", { name: "Confirmer ma contribution" }).click();
    await citizen.waitForURL(/\/compte\/contributions\/\w+/);
    await citizen.getByRole("heading", { name: "Régler par virement" }).waitFor();
    const reference = (await citizen.locator(".cf-reference").first().textContent())!.trim();
    expect(reference).toMatch(/^CF-/);

    // A member gives 20 €, by transfer too.
    const giver = await newPage();
    await logIn(giver, member.email, member.password);
    await giver.goto("/financement/tables-salle-commune/contribuer");
    await giver.getByRole("radio", { name: /Merci !/ }).check();
    await giver.getByLabel("Montant").fill("20");
    await giver.getByRole("radio", { name: /Virement/ }).check();
    await giver.getByRole("button", { name: "Confirmer ma contribution" }).click();
    await giver.waitForURL(/\/compte\/contributions\/\w+/);

    // Staff record each transfer with the amount that came, then close the campaign now: a success.
    for (const [who, amount, ref] of [
      [lea.name, "120", reference],
      [member.name, "20", "VIR-MEMBRE"],
    ]) {
      await staff.goto(`${campaignPath}/contributions`);
      const row = staff.getByRole("row", { name: new RegExp(who) });
      await row.getByText("Paiement reçu…").click();
      await row.getByLabel("Montant effectivement reçu (€)").fill(amount);
      await row.getByLabel(/Référence/).fill(ref);
      await row.getByRole("button", { name: "Enregistrer la réception" }).click();
      await staff
        .getByRole("row", { name: new RegExp(who) })
        .getByText(/Réglée|Encaissée/)
        .first()
        .waitFor();
    }

    await staff.goto(`${campaignPath}?fermer=1`);
    await staff.getByText(/Si la campagne fermait maintenant : elle\s+réussirait/).waitFor();
    await staff.getByRole("button", { name: "Fermer la campagne maintenant" }).click();
    await staff.getByText(/elle a atteint son objectif/).waitFor();
    if (SHOTS) await staff.screenshot({ path: `${SHOTS}/crowdfunding-closed.png`, fullPage: true });

    // The booklet is in Léa's account, usable like a bought one.
    await citizen.goto("/compte");
    const booklets = citizen.locator("section", { has: citizen.getByRole("heading", { name: "Mes carnets" }) });
    await booklets
      .getByText(/Carnet 10 demi-journées — contrepartie/)
      .first()
      .waitFor();

    // The dashboard: the gift is crowdfunding revenue; the booklet's price (100 € before VAT) waits until used.
    const after = await streamActual(staff, /Financement participatif/);
    expect(after - before).toBe(2_000);
    const deferred = staff.getByText(/Produits constatés d'avance/);
    await deferred.waitFor();
    expect(cents((await deferred.locator("xpath=..").locator("strong").last().textContent())!)).toBeGreaterThanOrEqual(
      10_000,
    );
  });
});
