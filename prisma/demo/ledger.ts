import {
  addPlanLines,
  fiscalYearOf,
  createSubAccount,
  invoiceOfSource,
  isLedgerError,
  issueInvoice,
  organisationBuyer,
  parisDate,
  personBuyer,
  post,
  type Buyer,
  type IsoDate,
  type LineInput,
} from "~/domain/ledger/index.server";
import { VAT_EXEMPTIONS } from "~/domain/ledger/vat";
import { cents, type Cents } from "~/domain/money";
import type { Stream } from "~/generated/prisma/enums";
import type { Client } from "~/utils/db.server";
import { demoAccount, demoOrganisation, type DemoPole } from "./pole";
import { isoDate } from "~/domain/ledger/dates";

// The demo pole's books: a business plan for the current year and entries from January of last year up to yesterday,
// all written through the ledger's own functions (post, issueInvoice) with stable "demo:…" source keys, so a
// second run on the same day writes nothing and a run a month later adds that month.

const euros = (amount: number) => cents(Math.round(amount * 100));

/** The demo's business plan, in euros: ~48 k€ coworking, 18 k€ land, 30 k€ trainings, 25 k€ crowdfunding, 120 k€ subsidies, 6 k€ other. */
export const DEMO_PLAN: { stream: Stream; label: string; month?: number; amount: number }[] = [
  ...Array.from({ length: 12 }, (_, i) => ({
    stream: "COWORKING" as const,
    label: "Postes résidents et bureaux partagés",
    month: i + 1,
    amount: 3_000,
  })),
  { stream: "COWORKING", label: "Location de salles de réunion", amount: 12_000 },
  { stream: "LAND", label: "Fermages des parcelles maraîchères", amount: 14_400 },
  { stream: "LAND", label: "Conventions de pâturage", amount: 3_600 },
  { stream: "TRAINING", label: "Formation compostage de proximité", month: 3, amount: 4_500 },
  { stream: "TRAINING", label: "Formation compostage de proximité", month: 6, amount: 4_500 },
  { stream: "TRAINING", label: "Formation compostage de proximité", month: 10, amount: 4_500 },
  { stream: "TRAINING", label: "Parcours installation agricole", amount: 16_500 },
  { stream: "CROWDFUNDING", label: "Campagne « Une serre bioclimatique pour la couveuse »", month: 5, amount: 25_000 },
  { stream: "SUBSIDY", label: "Subvention de fonctionnement Région Occitanie", amount: 80_000 },
  { stream: "SUBSIDY", label: "AMI État — pôles territoriaux de coopération économique", amount: 40_000 },
  { stream: "OTHER", label: "Buvette et événements", amount: 6_000 },
];

type Event = { date: IsoDate; order: number; run: () => Promise<unknown> };

const addMonths = (month: string, n: number) => {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
};

export async function seedDemoLedger(tx: Client, demo: DemoPole, today: Date) {
  const poleId = demo.pole.id;
  const todayIso = parisDate(today);

  // Sub-accounts for the two subsidies (TAKEN on a second run: nothing to do).
  await createSubAccount(tx, { poleId, parentCode: "740000", code: "740100", label: "Subvention Région Occitanie" });
  await createSubAccount(tx, { poleId, parentCode: "740000", code: "740200", label: "AMI État — PTCE" });

  // The business plan of the fiscal year holding today (the calendar year unless staff set another; none when
  // staff closed it since): lines staff edited are left alone.
  if (demo.fiscalYear?.ok) {
    await addPlanLines(tx, {
      poleId,
      fiscalYearId: demo.fiscalYear.value.id,
      lines: DEMO_PLAN.map((l) => ({ ...l, amount: euros(l.amount) })),
    });
  }

  const org = (name: string) => organisationBuyer(demoOrganisation(demo, name));
  const lea = personBuyer(demoAccount(demo, "USER"));
  const compost = org("Compost'Lauragais");
  const atelier = org("Atelier Bois & Paille");
  const ozon = org("Coopérative d'activités Ozon");
  const maraichers = org("Maraîchers Associés du Canal");
  const couveuse = org("Couveuse Agricole du Lauragais");
  const lycee = org("Lycée agricole d'Auzeville");

  const events: Event[] = [];
  const at = (date: IsoDate, order: number, run: () => Promise<unknown>) => {
    if (date < todayIso) events.push({ date, order, run });
  };

  /** An invoice (VAT included prices) and, `paidAfterDays` later, its payment into the bank. */
  const sale = (
    key: string,
    date: IsoDate,
    order: number,
    stream: Stream,
    buyer: Buyer,
    lines: { description: string; quantity: number; unitInclTax: Cents; vatRateBp: number; accountCode: string }[],
    paidOn: IsoDate | null,
  ) => {
    const exemption = stream === "LAND" ? VAT_EXEMPTIONS.LAND_RENT : VAT_EXEMPTIONS.TRAINING;
    const total = lines.reduce((s, l) => s + l.quantity * l.unitInclTax, 0);
    at(date, order, () =>
      issueInvoice(tx, {
        poleId,
        sourceKey: `demo:${key}`,
        issueDate: date,
        dueDate: addDays(date, 30),
        stream,
        buyer,
        lines: lines.map((l) => ({ ...l, vatExemption: l.vatRateBp === 0 ? exemption : null })),
      }),
    );
    if (paidOn) {
      at(paidOn, order, async () => {
        const invoice = await invoiceOfSource(tx, { poleId, sourceKey: `demo:${key}` });
        if (!invoice) return null; // its invoice fell in a closed year and was skipped
        const third = {
          thirdPartyPersonId: buyer.personId ?? null,
          thirdPartyOrganisationId: buyer.organisationId ?? null,
        };
        return post(tx, {
          poleId,
          sourceKey: `demo:${key}:paid`,
          date: paidOn,
          journal: "BQ",
          label: `Règlement ${invoice.number} — ${buyer.name}`,
          pieceRef: invoice.number,
          lines: [
            { account: "512000", debit: cents(total) },
            { account: "411000", credit: cents(total), stream, label: buyer.name, ...third },
          ],
        });
      });
    }
  };
  const bank = (key: string, date: IsoDate, order: number, label: string, pieceRef: string, lines: LineInput[]) =>
    at(date, order, () => post(tx, { poleId, sourceKey: `demo:${key}`, date, journal: "BQ", label, pieceRef, lines }));

  // From January of last year: the demo closes last year (prisma/demo/closing.ts) and carries it into this one.
  const current = todayIso.slice(0, 7);
  for (let back = 11 + Number(current.slice(5, 7)); back >= 0; back--) {
    const m = addMonths(current, -back);
    const month = Number(m.slice(5, 7));
    // Coworking: monthly invoices on the 1st at 20 % VAT, paid mid-month.
    const cw = (who: string, buyer: Buyer, description: string, quantity: number, unit: number, order: number) =>
      sale(
        `coworking:${m}:${who}`,
        isoDate(`${m}-01`),
        order,
        "COWORKING",
        buyer,
        [
          {
            description: `${description} — ${m}`,
            quantity,
            unitInclTax: euros(unit),
            vatRateBp: 2000,
            accountCode: "706100",
          },
        ],
        isoDate(`${m}-15`),
      );
    cw("compost", compost, "Postes résidents (open space)", 4, 300, 1);
    cw("atelier", atelier, "Bureau fermé 4 postes", 1, 1_320, 2);
    cw("ozon", ozon, "Salle de réunion — demi-journées", 8, 120, 3);
    cw("lea", lea, "Poste nomade — journées", 10, 18, 4);

    // Land: quarterly rents, exempt (art. 261 D 1° CGI), invoiced on the quarter's first day, paid on the 10th.
    if (month % 3 === 1) {
      const q = `T${(month + 2) / 3}`;
      const rent = (who: string, buyer: Buyer, description: string, amount: number, order: number) =>
        sale(
          `land:${m}:${who}`,
          isoDate(`${m}-01`),
          order,
          "LAND",
          buyer,
          [
            {
              description: `${description} — ${q} ${m.slice(0, 4)}`,
              quantity: 1,
              unitInclTax: euros(amount),
              vatRateBp: 0,
              accountCode: "706300",
            },
          ],
          isoDate(`${m}-10`),
        );
      rent("maraichers", maraichers, "Fermage parcelles maraîchères (4 ha)", 1_800, 5);
      rent("couveuse", couveuse, "Convention de pâturage et parcelles test (2,5 ha)", 1_200, 6);
    }

    // Expenses: the domain's rent (with deductible VAT), bank fees, the accountant's fees each quarter.
    bank(`rent:${m}`, isoDate(`${m}-05`), 7, `Loyer du domaine de la Luzernière — ${m}`, `LOYER-${m}`, [
      { account: "613200", debit: euros(1_250) },
      { account: "445660", debit: euros(250) },
      { account: "512000", credit: euros(1_500) },
    ]);
    bank(`bank-fees:${m}`, isoDate(`${m}-28`), 8, `Frais de tenue de compte — ${m}`, `BQ-${m}`, [
      { account: "627000", debit: euros(12.5) },
      { account: "512000", credit: euros(12.5) },
    ]);
    if (month % 3 === 0) {
      bank(`fees:${m}`, isoDate(`${m}-25`), 9, `Honoraires expert-comptable — ${m}`, `HON-${m}`, [
        { account: "622600", debit: euros(750) },
        { account: "445660", debit: euros(150) },
        { account: "512000", credit: euros(900) },
      ]);
    }
  }

  // Subsidies received: the Region's operating grant (advance then balance) and the State's AMI for PTCE.
  const subsidy = (
    key: string,
    monthsBack: number,
    day: string,
    label: string,
    pieceRef: string,
    account: string,
    amount: number,
  ) =>
    bank(`subsidy:${key}`, isoDate(`${addMonths(current, -monthsBack)}-${day}`), 10, label, pieceRef, [
      { account: "512000", debit: euros(amount) },
      { account, credit: euros(amount) },
    ]);
  subsidy(
    "region:advance",
    10,
    "12",
    "Subvention Région Occitanie — avance de fonctionnement",
    "REGION-CP-ACOMPTE",
    "740100",
    40_000,
  );
  subsidy("state:ami", 7, "03", "AMI État — PTCE, versement de la première tranche", "AMI-PTCE-T1", "740200", 30_000);
  subsidy(
    "region:balance",
    3,
    "18",
    "Subvention Région Occitanie — second versement",
    "REGION-CP-SOLDE",
    "740100",
    20_000,
  );

  // Last year's grants, so that its closing shows a year like this one.
  const lastYear = Number(todayIso.slice(0, 4)) - 1;
  bank(
    `subsidy:region:${lastYear}`,
    isoDate(`${lastYear}-04-15`),
    10,
    `Subvention Région Occitanie — fonctionnement ${lastYear}`,
    `REGION-CP-${lastYear}`,
    [
      { account: "512000", debit: euros(55_000) },
      { account: "740100", credit: euros(55_000) },
    ],
  );
  bank(
    `subsidy:state:${lastYear}`,
    isoDate(`${lastYear}-09-22`),
    10,
    `AMI État — PTCE, amorçage ${lastYear}`,
    `AMI-PTCE-${lastYear}`,
    [
      { account: "512000", debit: euros(25_000) },
      { account: "740200", credit: euros(25_000) },
    ],
  );

  // Trainings: a two-day course for the agricultural high school and a workshop Léa booked.
  const training = (
    key: string,
    monthsBack: number,
    buyer: Buyer,
    description: string,
    quantity: number,
    unit: number,
  ) => {
    const m = addMonths(current, -monthsBack);
    sale(
      `training:${key}`,
      isoDate(`${m}-20`),
      11,
      "TRAINING",
      buyer,
      [{ description, quantity, unitInclTax: euros(unit), vatRateBp: 2000, accountCode: "706200" }],
      isoDate(`${m}-27`),
    );
  };
  training("compostage-lycee", 4, lycee, "Formation compostage de proximité — 2 jours, 12 stagiaires", 12, 300);
  training("lombricompostage-lea", 2, lea, "Atelier lombricompostage en appartement", 1, 60);

  // A gift from the friends of the pole (758: counts in resources, not in own revenue).
  bank(
    "gift:amis",
    isoDate(`${addMonths(current, -5)}-08`),
    12,
    "Don de l'association des Amis de la Luzernière",
    "DON-AMIS",
    [
      { account: "512000", debit: euros(500) },
      { account: "758000", credit: euros(500) },
    ],
  );

  events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
  for (const event of events) {
    try {
      await event.run();
    } catch (error) {
      // A fiscal year staff closed since the first run keeps its books: skip what would land in it.
      if (isLedgerError(error) && error.code === "CLOSED_PERIOD") continue;
      throw error;
    }
  }

  // Last year's plan, its first year of activity: three quarters of this year's, no campaign yet. Its year exists
  // once its entries are in, and takes a plan only while still open (the seed closes it afterwards).
  const last = await fiscalYearOf(tx, poleId, isoDate(`${lastYear}-06-30`));
  if (last && !last.closedAt) {
    await addPlanLines(tx, {
      poleId,
      fiscalYearId: last.id,
      lines: DEMO_PLAN.filter((l) => l.stream !== "CROWDFUNDING").map((l) => ({
        ...l,
        amount: euros(Math.round(l.amount * 0.75)),
      })),
    });
  }
  return { events: events.length };
}

function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d.toISOString().slice(0, 10));
}
