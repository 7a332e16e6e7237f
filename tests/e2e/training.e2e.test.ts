import { mkdir } from "node:fs/promises";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { logIn, signUp, streamActual, useBrowser } from "./browser";

// The training journey on the demo pole (no Stripe keys: the offline path). Staff schedule a one-seat composting
// session; Inès signs up and chooses a transfer: the session is full; Malo joins its waiting list; Inès cancels and
// the seat is offered to Malo, who accepts and pays by transfer, which staff record. Then the day of a session:
// the browser cannot wait for a future session to happen, so attendance is recorded on the demo's market-gardening
// session of last week, which Léa attended — staff mark the half-days and close the session, Léa's certificate
// appears in Mon compte and the dashboard's TRAINING actual grows by the revenue the closing recognised.

const newPage = useBrowser();
const staffAccount = DEMO_ACCOUNTS.find((a) => a.role === "STAFF")!;
const lea = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
const SHOTS = process.env.SCREENSHOTS_DIR;

/** A weekday about four months ahead, clear of the demo's bookings and sessions. */
function sessionDay() {
  let day = DateTime.now().setZone("Europe/Paris").plus({ days: 120 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.toISODate()!;
}

describe("a training session", () => {
  it(
    "fills, waits, passes a freed seat on, and a delivered session gives its certificate and revenue",
    { timeout: 240_000 },
    async () => {
      const staff = await newPage();
      await logIn(staff, staffAccount.email, staffAccount.password);
      const before = await streamActual(staff, /Formations/);

      // Staff schedule a one-seat session of the composting course, one morning in the great hall.
      const day = sessionDay();
      await staff.goto("/gestion/formations/sessions/nouvelle");
      await staff
        .getByLabel("Formation", { exact: true })
        .selectOption({ label: "Composter les biodéchets : du quartier au champ (7 h)" });
      // The form offers a morning and an afternoon: a single morning here.
      await staff.getByRole("button", { name: "Retirer la partie 2" }).click();
      await staff.getByLabel("Jour (partie 2)").waitFor({ state: "detached" });
      await staff.getByLabel("Jour (partie 1)").fill(day);
      await staff.getByLabel("De").first().fill("09:00");
      await staff.getByLabel("À").first().fill("12:30");
      await staff.getByLabel("Salle").first().selectOption({ label: "Salle du Lavoir" });
      await staff.getByLabel("Capacité (places)").fill("1");
      await staff.getByLabel("Minimum de stagiaires").fill("1");
      await staff.getByRole("button", { name: "Créer la session" }).click();
      await staff.waitForURL(/\/gestion\/formations\/sessions\/\w+\?fait=creee/);
      const sessionPath = new URL(staff.url()).pathname;

      // Inès signs up and will pay by transfer: her seat is kept, the session is full.
      const ines = await newPage();
      await signUp(ines, "Inès Cabrol", "ines.cabrol@exemple.test", "un composteur au bout du jardin");
      await ines.goto("/formations/compostage-de-proximite");
      const session = ines.locator("#sessions article", {
        hasText: DateTime.fromISO(day).setLocale("fr").toFormat("d LLLL yyyy"),
      });
      await session.getByRole("link", { name: "S'inscrire" }).click();
      await ines.getByRole("button", { name: "Réserver ma place" }).click();
      await ines.waitForURL(/\/compte\/formations\/\w+/);
      const inesRegistration = new URL(ines.url()).pathname;
      await ines.getByRole("button", { name: "Payer par virement" }).click();
      await ines
        .getByText(/FO-[A-Z0-9]{8}/)
        .first()
        .waitFor();

      // Malo finds it full and joins its waiting list.
      const malo = await newPage();
      await signUp(malo, "Malo Ferran", "malo.ferran@exemple.test", "des poules et du compost");
      await malo.goto("/formations/compostage-de-proximite");
      const full = malo.locator("#sessions article", {
        hasText: DateTime.fromISO(day).setLocale("fr").toFormat("d LLLL yyyy"),
      });
      await full.getByRole("link", { name: "Rejoindre la liste d'attente" }).click();
      await malo.getByRole("button", { name: "Rejoindre la liste d'attente" }).click();
      // The sign-up page names the list already: wait for the answer, Mon compte with the place in the list.
      await malo.waitForURL(/\/compte\/formations\?attente=rejointe/);
      await malo.getByText("N° 1").first().waitFor();

      // Inès cancels: the seat is offered to Malo at once.
      await ines.goto(`${inesRegistration}?annuler#annuler`);
      await ines.getByRole("button", { name: "Oui, annuler mon inscription" }).click();
      await ines
        .getByText(/annulée/i)
        .first()
        .waitFor();

      await malo.goto("/compte/formations");
      await malo.getByRole("button", { name: "Accepter la place" }).first().click();
      await malo.waitForURL(/\/compte\/formations\/\w+/);
      await malo.getByRole("button", { name: "Payer par virement" }).click();
      await malo
        .getByText(/FO-[A-Z0-9]{8}/)
        .first()
        .waitFor();
      if (SHOTS) {
        await mkdir(SHOTS, { recursive: true });
        await malo.screenshot({ path: `${SHOTS}/training-registration.png`, fullPage: true });
      }

      // Staff record Malo's transfer: confirmed and invoiced.
      await staff.goto(sessionPath);
      const maloRow = staff.getByRole("row", { name: /Malo Ferran/ });
      await maloRow.getByText("Paiement reçu…").click();
      await maloRow.getByLabel("Moyen de paiement").selectOption("TRANSFER");
      await maloRow.getByLabel("Référence").fill("VIR MALO FERRAN");
      await maloRow.getByRole("button", { name: "Enregistrer le paiement" }).click();
      await staff.waitForURL(/fait=paiement/);
      await staff
        .getByRole("row", { name: /Malo Ferran/ })
        .getByText(/Confirmée/)
        .waitFor();

      // Last week's market gardening: staff mark every half-day present and close the session.
      await staff.goto("/gestion/formations/sessions?quand=past");
      await staff.getByRole("link", { name: "Initiation au maraîchage biologique" }).first().click();
      await staff.waitForURL(/\/gestion\/formations\/sessions\/\w+$/);
      await staff.goto(`${new URL(staff.url()).pathname}/presences`);
      const tabs = staff.getByRole("navigation", { name: "Demi-journées de la session" }).getByRole("link");
      const halfDays = await tabs.evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
      expect(halfDays).toHaveLength(4);
      for (const href of halfDays) {
        await staff.goto(href);
        await staff.getByRole("button", { name: /Marquer présentes les 5 personnes/ }).click();
        await staff.getByText("5 sur 5 notés").waitFor();
      }
      if (SHOTS) await staff.screenshot({ path: `${SHOTS}/training-attendance.png`, fullPage: true });
      await staff.getByRole("button", { name: "Clore la session" }).click();
      await staff
        .getByText(/ATT-\d{4}-\d{4}/)
        .first()
        .waitFor();

      // Léa's certificate is in Mon compte; the dashboard counts the session's revenue.
      const trainee = await newPage();
      await logIn(trainee, lea.email, lea.password);
      await trainee.goto("/compte/formations");
      const certificate = trainee.getByRole("link", { name: /attestation/i }).first();
      await certificate.waitFor();
      const href = await certificate.getAttribute("href");
      const pdf = await trainee.request.get(href!);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()["content-type"]).toContain("application/pdf");

      const after = await streamActual(staff, /Formations/);
      expect(after).toBeGreaterThan(before);
      for (const page of [staff, ines, malo, trainee]) page.assertNoConsoleErrors();
    },
  );
});
