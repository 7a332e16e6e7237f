import type { Course, Organisation, Person, Registration, TrainingSession } from "~/generated/prisma/client";
import { issueInvoice, organisationBuyer, parisDate, personBuyer, post } from "~/domain/ledger/index.server";
import { VAT_EXEMPTIONS } from "~/domain/ledger/vat";
import { cents } from "~/domain/money";
import type { Tx } from "~/utils/db.server";
import { formatDate } from "~/utils/format";

// A registration in the books (decision 020). It is invoiced when confirmed — to the trainee, dated the day the
// money came in and debiting the account it landed in, or to the funder organisation, receivable on 411000, due
// after the pole's payment terms. The training is not delivered yet: the invoice credits deferred revenue (487000, produits constatés
// d'avance), moved to 706200 on the TRAINING stream once the session is delivered — so revenue belongs to the
// delivery, as the issue asks, and the dashboard's TRAINING actual counts delivered trainings only. Source keys
// per registration: nothing is posted twice.

export const TRAINING_REVENUE_ACCOUNT = "706200";
export const TRAINING_DEFERRED_ACCOUNT = "487000";
export const TRAINING_VAT_BP = 2000;

export type RegistrationFull = Registration & {
  session: TrainingSession & { course: Course };
  person: Pick<Person, "id" | "name" | "email" | "address">;
  funder: Organisation | null;
};

export const registrationInclude = {
  session: { include: { course: true } },
  person: { select: { id: true, name: true, email: true, address: true } },
  funder: true,
} as const;

/**
 * The VAT of the pole's trainings: exempt (CGI art. 261-4-4° a) only once the pole has recorded its declaration
 * number and its exemption attestation, the mention then on every invoice; 20 % otherwise.
 */
export function trainingVat(pole: {
  trainingDeclarationNumber: string | null;
  trainingExemptionAttestation: string | null;
}) {
  const exempt = Boolean(pole.trainingDeclarationNumber?.trim() && pole.trainingExemptionAttestation?.trim());
  return exempt
    ? {
        vatRateBp: 0,
        vatExemption: `${VAT_EXEMPTIONS.TRAINING} (déclaration d'activité n° ${pole.trainingDeclarationNumber!.trim()})`,
      }
    : { vatRateBp: TRAINING_VAT_BP, vatExemption: null };
}

/** "du 12 mars 2027 au 13 mars 2027" or "le 12 mars 2027". */
export function sessionDates(session: Pick<TrainingSession, "startsAt" | "endsAt">) {
  const from = formatDate(session.startsAt);
  const to = formatDate(session.endsAt);
  return from === to ? `le ${from}` : `du ${from} au ${to}`;
}

/** The registration's invoice: to the trainee (paid: `receivableAccount` is where the money is) or to its funder. */
export async function invoiceRegistration(
  tx: Tx,
  registration: RegistrationFull,
  input: { receivableAccount?: string; now: Date; staffId?: string | null },
) {
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: registration.poleId } });
  const vat = trainingVat(pole);
  const funder = registration.payer === "ORGANISATION" ? registration.funder : null;
  const { invoice } = await issueInvoice(tx, {
    poleId: registration.poleId,
    sourceKey: `registration:${registration.id}`,
    issueDate: parisDate(input.now),
    stream: "TRAINING",
    buyer: funder ? organisationBuyer(funder) : personBuyer(registration.person),
    lines: [
      {
        description:
          `Formation « ${registration.session.course.title} » ${sessionDates(registration.session)} — ${registration.session.course.durationHours} h${funder ? `, stagiaire ${registration.person.name}` : ""}`.slice(
            0,
            300,
          ),
        quantity: 1,
        unitInclTax: cents(registration.priceCents),
        vatRateBp: vat.vatRateBp,
        vatExemption: vat.vatExemption,
        accountCode: TRAINING_DEFERRED_ACCOUNT,
      },
    ],
    receivableAccount: input.receivableAccount,
    createdById: input.staffId ?? null,
  });
  await tx.registration.update({ where: { id: registration.id }, data: { invoiceId: invoice.id } });
  return invoice;
}

/**
 * The session is delivered: what the registration's invoice deferred (less any credit note) becomes revenue on
 * the TRAINING stream. Once per registration; nothing when it has no invoice (a free or given seat).
 */
export async function recogniseRegistration(tx: Tx, registrationId: string, now: Date) {
  const registration = await tx.registration.findUniqueOrThrow({
    where: { id: registrationId },
    include: { session: { include: { course: true } } },
  });
  if (!registration.invoiceId || registration.recognisedAt) return false;
  const invoice = await tx.invoice.findUniqueOrThrow({
    where: { id: registration.invoiceId },
    include: { creditNotes: true },
  });
  const exclTax = invoice.totalExclTax - invoice.creditNotes.reduce((s, n) => s + n.totalExclTax, 0);
  await tx.registration.update({ where: { id: registration.id }, data: { recognisedAt: now } });
  if (exclTax <= 0) return false;
  await post(tx, {
    poleId: registration.poleId,
    sourceKey: `registration:${registration.id}:delivered`,
    date: parisDate(now),
    journal: "OD",
    label: `Formation réalisée — « ${registration.session.course.title} », facture ${invoice.number}`.slice(0, 200),
    pieceRef: invoice.number,
    lines: [
      { account: TRAINING_DEFERRED_ACCOUNT, debit: cents(exclTax), stream: "TRAINING" },
      { account: TRAINING_REVENUE_ACCOUNT, credit: cents(exclTax), stream: "TRAINING" },
    ],
  });
  return true;
}
