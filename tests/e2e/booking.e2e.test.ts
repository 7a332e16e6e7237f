import { mkdir } from "node:fs/promises";
import ICAL from "ical.js";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addDays, mondayOf, parisInstant } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/dates";
import { DEMO_ACCOUNTS } from "../../prisma/demo/pole";
import { logIn, streamActual, useBrowser } from "./browser";

// The coworking journey on the demo pole, without Stripe keys: a person books a desk by dragging over a free
// range in the calendar, chooses to pay on site; staff record the transfer; the booking shows in Mon compte and
// in the person's iCal feed; the dashboard's coworking actual grows by the sale (VAT excluded).

const newPage = useBrowser();
const account = (role: (typeof DEMO_ACCOUNTS)[number]["role"]) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const SHOTS = process.env.SCREENSHOTS_DIR;

async function dragInCalendar(page: Page, date: string, from: string, lastSlot: string) {
  const column = page.locator(`.availability-calendar td.fc-timegrid-col[data-date="${date}"]`);
  const startRow = page.locator(`.availability-calendar td.fc-timegrid-slot-lane[data-time="${from}:00"]`);
  const endRow = page.locator(`.availability-calendar td.fc-timegrid-slot-lane[data-time="${lastSlot}:00"]`);
  await column.waitFor();
  // Mouse events land only inside the viewport: bring the range into view first.
  await endRow.evaluate((el) => el.scrollIntoView({ block: "center" }));
  const x = (await column.boundingBox())!;
  const a = (await startRow.boundingBox())!;
  const b = (await endRow.boundingBox())!;
  await page.mouse.move(x.x + x.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(x.x + x.width / 2, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(x.x + x.width / 2, b.y + b.height / 2, { steps: 4 });
  await page.mouse.up();
}

describe("booking a desk", () => {
  it("goes from the calendar to a confirmed booking in Mon compte, the iCal feed and the dashboard", async () => {
    const monday = addDays(mondayOf(parisDate(new Date())), 7);
    const wednesday = addDays(monday, 2);

    const staff = await newPage();
    await logIn(staff, account("STAFF").email, account("STAFF").password);
    const before = await streamActual(staff, /Coworking/);

    // The person picks a desk and drags over Wednesday 09:00–12:00 next week.
    const person = await newPage();
    await logIn(person, account("USER").email, account("USER").password);
    await person.goto("/espaces");
    await person.getByRole("link", { name: "Poste 06" }).click();
    await person.getByRole("heading", { name: "Poste 06", level: 1 }).waitFor();
    await person.goto(`/espaces/poste-06?semaine=${monday}`);
    await dragInCalendar(person, wednesday, "09:00", "11:30");
    await expect(person.getByLabel("Jour", { exact: true }).inputValue()).resolves.toBe(wednesday);
    await expect(person.getByLabel("De", { exact: true }).inputValue()).resolves.toBe("09:00");
    await expect(person.getByLabel("À", { exact: true }).inputValue()).resolves.toBe("12:00");
    await person.getByText("Prix : 18,00 € TTC").waitFor();
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true });
      await person.screenshot({ path: `${SHOTS}/booking-resource.png`, fullPage: true });
    }
    await person.getByRole("button", { name: "Réserver ce créneau" }).click();
    await person.waitForURL(/\/compte\/reservations\/\w+$/);
    const bookingId = new URL(person.url()).pathname.split("/").pop()!;
    await person.getByText(/Créneau retenu pour vous jusqu'à/).waitFor();
    if (SHOTS) await person.screenshot({ path: `${SHOTS}/booking-pay.png`, fullPage: true });
    await person.getByRole("button", { name: "Payer sur place" }).click();
    await person
      .getByText(
        "Votre créneau est réservé : réglez-le à l'accueil du pôle (ou par virement). L'équipe confirmera à réception.",
      )
      .waitFor();

    // Staff find it among next week's bookings and record the transfer.
    await staff.goto(`/gestion/espaces/reservations?from=${monday}&to=${addDays(monday, 6)}&q=L%C3%A9a`);
    await staff
      .getByRole("row", { name: /Poste 06/ })
      .getByRole("link")
      .click();
    await staff.waitForURL(new RegExp(`/gestion/espaces/reservations/${bookingId}$`));
    await staff.getByLabel("Moyen de paiement").first().selectOption("TRANSFER");
    await staff.getByLabel("Référence").first().fill("VIR-E2E-0001");
    await staff.getByRole("button", { name: "Paiement reçu" }).click();
    await staff.getByText(/Paiement enregistré : la réservation est confirmée/).waitFor();

    // Mon compte shows it confirmed; the private calendar address serves it.
    await person.goto("/compte");
    const row = person.getByRole("table", { name: "Mes réservations à venir" }).getByRole("row", { name: /Poste 06/ });
    await expect(row.textContent()).resolves.toContain("Confirmée");
    await person.getByRole("button", { name: "Créer mon adresse iCal" }).click();
    await person.getByText("Votre adresse iCal est prête").waitFor();
    const feedUrl = await person.getByLabel("Adresse iCal privée").inputValue();
    const feed = await person.request.get(new URL(feedUrl).pathname);
    expect(feed.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
    const events = new ICAL.Component(ICAL.parse(await feed.text()))
      .getAllSubcomponents("vevent")
      .map((e) => new ICAL.Event(e));
    const event = events.find((e) => e.uid === `reservation-${bookingId}@terrain-commun`)!;
    expect(event.summary).toContain("Poste 06");
    expect(event.startDate.toJSDate().toISOString()).toBe(parisInstant(wednesday, 540).toISOString());
    expect(event.endDate.toJSDate().toISOString()).toBe(parisInstant(wednesday, 720).toISOString());
    expect(event.component.getFirstPropertyValue("status")).toBe("CONFIRMED");

    // The sale is in the books: the coworking actual grows by 15,00 € (18,00 € VAT included).
    expect(await streamActual(staff, /Coworking/)).toBe(before + 1500);
    person.assertNoConsoleErrors();
    staff.assertNoConsoleErrors();
  });

  it("books a slot without JavaScript from the server-rendered list, and refuses a taken one in French", async () => {
    // The week after next: clear of the demo's bookings, which fill the next working days.
    const monday = addDays(mondayOf(parisDate(new Date())), 14);
    const withoutScripts = async (role: "MEMBER" | "USER") => {
      const scripted = await newPage();
      const page = await scripted.context().newPage();
      await scripted.close();
      await page.context().route("**/*.js", (route) => route.abort());
      await page.goto("/connexion");
      await page.getByLabel("Adresse email").fill(account(role).email);
      await page.getByLabel("Mot de passe", { exact: true }).fill(account(role).password);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/connexion"));
      await page.goto(`/espaces/poste-07?semaine=${monday}`);
      expect(await page.locator("html[data-hydrated]").count()).toBe(0);
      return page;
    };
    const member = await withoutScripts("MEMBER");
    await member.locator(".week-slots > li").nth(3).getByRole("button", { name: /Matin/ }).click();
    await member.waitForURL(/\/compte\/reservations\/\w+$/);
    await member.getByText("12,00 € TTC (tarif membre)").waitFor();

    // Someone else types the same slot in the form: taken, and the waiting list is offered.
    const other = await withoutScripts("USER");
    await other.getByLabel("Jour", { exact: true }).fill(addDays(monday, 3));
    await other.getByLabel("De", { exact: true }).fill("08:30");
    await other.getByLabel("À", { exact: true }).fill("12:30");
    await other.getByRole("button", { name: "Réserver ce créneau" }).click();
    await other.getByText("Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre.").waitFor();
    await other.getByRole("button", { name: "M'inscrire sur la liste d'attente" }).click();
    await other.getByText("Vous êtes sur la liste d'attente").waitFor();
  });
});
