import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { allErrors, FormErrors } from "~/components/forms";
import { ApplicationSection, LeaseCard, OfferCard } from "~/components/land/account-sections";
import { runCheckout, runCommand } from "~/domain/commands.server";
import {
  acceptOffer,
  declineOffer,
  INSTALMENT_STATUS_LABELS,
  instalmentCheckout,
  LEASE_STATUS_LABELS,
  personApplication,
  personLeases,
  termLabel,
  withdrawApplication,
} from "~/domain/leasing/index.server";
import {
  addDaysTo,
  formatIndex,
  formatSurface,
  FREQUENCY_LABELS,
  KIND_LABELS,
  monthsBetween,
} from "~/domain/leasing/rules";
import { LandIntentSchema } from "~/domain/leasing/schemas";
import { fromSqlDate, parisDate } from "~/domain/ledger/dates";
import { listPersonInvoices } from "~/domain/ledger/index.server";
import { cardPaymentEnabled, getStripe } from "~/domain/payments/index.server";
import type { WaitlistEventKind, WaitlistStatus } from "~/generated/prisma/enums";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Mes terres — Mon compte" }];

// What the applicant reads in their history; staff notes (NOTE) stay with staff.
const HISTORY_LABELS: Record<Exclude<WaitlistEventKind, "NOTE">, string> = {
  JOINED: "Candidature enregistrée",
  MOVED: "Place modifiée par l'équipe du pôle",
  OFFERED: "Parcelle proposée",
  ACCEPTED: "Proposition acceptée",
  DECLINED: "Proposition déclinée",
  OFFER_EXPIRED: "Proposition expirée sans réponse",
  RECONFIRM_ASKED: "Confirmation annuelle demandée",
  RECONFIRMED: "Candidature confirmée",
  LAPSED: "Candidature retirée faute de confirmation",
  WITHDRAWN: "Candidature retirée",
  NOTIFIED: "Prévenue d'une place libérée",
};
const ENTRY_LABELS: Record<WaitlistStatus, string> = {
  WAITING: "Sur la liste d'attente",
  NOTIFIED: "Sur la liste d'attente",
  OFFERED: "Parcelle proposée",
  FULFILLED: "Satisfaite : bail signé",
  LAPSED: "Retirée faute de confirmation",
  CANCELLED: "Retirée",
};

const term = (startsOn: Date, endsOn: Date) => {
  const from = fromSqlDate(startsOn);
  const to = fromSqlDate(endsOn);
  return { startsOn: from, lastDay: addDaysTo(to, -1), term: termLabel(monthsBetween(from, to)) };
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const now = new Date();
  const who = { poleId: pole.id, personId: person.id };
  const [application, leases, invoices] = await Promise.all([
    personApplication(db, who),
    personLeases(db, who),
    listPersonInvoices(db, who),
  ]);
  const numbers = new Map(invoices.map((i) => [i.id, i.number]));
  const live = application ? ["WAITING", "OFFERED", "NOTIFIED"].includes(application.entry.status) : false;
  return json({
    card: cardPaymentEnabled(),
    payee: pole.legalName,
    application: application
      ? {
          live,
          position: application.position,
          statusLabel: ENTRY_LABELS[application.entry.status],
          createdAt: application.createdAt.toISOString(),
          kindLabel: KIND_LABELS[application.leaseKind],
          desiredStartOn: fromSqlDate(application.desiredStartOn),
          minSurface: application.minSurfaceM2 ? formatSurface(application.minSurfaceM2) : null,
          choices: application.choices.map((c) => ({
            rank: c.rank,
            code: c.plot.code,
            name: c.plot.name,
            surface: formatSurface(c.plot.surfaceM2),
          })),
          project: application.project,
          experience: application.experience,
          reconfirmAskedAt: live ? (application.entry.reconfirmAskedAt?.toISOString() ?? null) : null,
          reconfirmDueAt: application.entry.reconfirmDueAt?.toISOString() ?? null,
          training: {
            courses: application.trainingPath.courses.map((c) => c.course),
            missing: application.trainingPath.missing,
          },
          // Staff notes stay internal; the reason for a change of place is shown: a queue is fair when it is open.
          history: application.history
            .filter((h) => h.kind !== "NOTE")
            .map((h) => ({
              id: h.id,
              at: h.createdAt.toISOString(),
              label: HISTORY_LABELS[h.kind as Exclude<WaitlistEventKind, "NOTE">],
              note: h.note,
            })),
        }
      : null,
    offers: leases
      .filter((l) => l.status === "OFFERED")
      .map((l) => ({
        id: l.id,
        plot: `${l.plot.code}${l.plot.name ? ` (${l.plot.name})` : ""}`,
        surface: formatSurface(l.surfaceM2),
        kindLabel: KIND_LABELS[l.kind],
        ...term(l.startsOn, l.endsOn),
        yearlyRentCents: l.yearlyRentCents,
        vatIncluded: l.vatRateBp > 0,
        frequencyLabel: FREQUENCY_LABELS[l.frequency],
        deadline: l.offerExpiresAt!.toISOString(),
        open: l.offerExpiresAt! > now,
      })),
    leases: leases
      .filter((l) => l.status !== "OFFERED")
      .map((l) => ({
        id: l.id,
        plot: `${l.plot.code}${l.plot.name ? ` (${l.plot.name})` : ""}`,
        surface: formatSurface(l.surfaceM2),
        kindLabel: KIND_LABELS[l.kind],
        statusLabel:
          l.status === "ACTIVE" && fromSqlDate(l.startsOn) > parisDate(now) ? "À venir" : LEASE_STATUS_LABELS[l.status],
        ...term(l.startsOn, l.endsOn),
        yearlyRentCents: l.yearlyRentCents,
        vatIncluded: l.vatRateBp > 0,
        perHectareCents: l.rentPerHectareCents,
        index: `indice national des fermages ${l.indexYear} : ${formatIndex(l.indexValue)}`,
        frequencyLabel: FREQUENCY_LABELS[l.frequency],
        instalments: l.instalments.map((i) => ({
          id: i.id,
          periodStart: fromSqlDate(i.periodStart),
          lastDay: addDaysTo(fromSqlDate(i.periodEnd), -1),
          dueOn: fromSqlDate(i.dueOn),
          amountCents: i.amountCents,
          status: i.status,
          statusLabel: INSTALMENT_STATUS_LABELS[i.status],
          invoiceId: i.invoiceId,
          invoiceNumber: i.invoiceId ? (numbers.get(i.invoiceId) ?? null) : null,
          cardPending: i.payments.length > 0,
        })),
      })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: LandIntentSchema });
  if (submission.status !== "success") return invalid(submission);
  const now = new Date();
  const who = { poleId: pole.id, personId: person.id, now };
  const stripe = getStripe();
  const value = submission.value;
  switch (value.intent) {
    case "withdraw": {
      const result = await runCommand(withdrawApplication, who, { now, stripe });
      if (!result.ok) return refused(submission, result);
      return redirect("/compte/terres?candidature=retiree");
    }
    case "accept":
    case "decline": {
      const answer = value.intent === "accept" ? acceptOffer : declineOffer;
      const result = await runCommand(answer, { ...who, leaseId: value.leaseId }, { now, stripe });
      if (!result.ok) return refused(submission, result);
      return redirect(`/compte/terres?proposition=${value.intent === "accept" ? "acceptee" : "declinee"}`);
    }
    case "pay": {
      if (!stripe)
        return refused(submission, {
          ok: false,
          code: "NO_CARD",
          message:
            "Le paiement par carte n'est pas proposé par ce pôle : réglez par virement en indiquant le numéro de la facture.",
          status: 409,
        });
      const opened = await runCheckout(instalmentCheckout, { ...who, instalmentId: value.instalmentId }, stripe);
      if (!opened.ok) return refused(submission, opened);
      return redirect(opened.value.url);
    }
  }
}

const NOTICES: Record<string, Record<string, string>> = {
  candidature: {
    enregistree: "Votre candidature est enregistrée : un email de confirmation vous a été envoyé.",
    retiree: "Votre candidature est retirée de la liste d'attente.",
  },
  proposition: {
    acceptee: "Vous avez accepté la proposition : votre bail est enregistré et son échéancier est ci-dessous.",
    declinee: "Vous avez décliné la proposition : votre candidature garde sa place sur la liste d'attente.",
  },
  paiement: {
    retour: "Paiement reçu par Stripe : l'échéance passe à « payée » dans quelques secondes. Actualisez la page.",
    abandon: "Le paiement par carte a été interrompu : l'échéance reste à régler.",
  },
};

export default function MyLand() {
  const { application, offers, leases, card, payee } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors = allErrors(lastResult);
  const notices = Object.entries(NOTICES).flatMap(([param, texts]) => {
    const text = texts[searchParams.get(param) ?? ""];
    return text ? [{ param, text }] : [];
  });
  return (
    <div className="land-account">
      <p>
        <Link to="/compte">← Mon compte</Link>
      </p>
      <h1>Mes terres</h1>
      {notices.map((n) => (
        <p key={n.param} className={n.text.includes("interrompu") ? "notice" : "notice notice-success"} role="status">
          {n.text}
        </p>
      ))}
      <FormErrors id="terres-errors" errors={errors} />
      {offers.map((o) => (
        <OfferCard key={o.id} offer={o} />
      ))}
      <ApplicationSection application={application} />
      {leases.length ? (
        leases.map((l) => <LeaseCard key={l.id} lease={l} card={card} payee={payee} />)
      ) : (
        <section className="card" aria-labelledby="baux">
          <h2 id="baux">Mes baux</h2>
          <p className="muted">
            Aucun bail pour le moment. Quand une parcelle vous est proposée et que vous l'acceptez, votre bail, son
            échéancier et ses factures apparaissent ici.
          </p>
        </section>
      )}
    </div>
  );
}
