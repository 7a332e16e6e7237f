import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { updateProfile } from "~/domain/identity/index.server";
import { ROLE_LABELS } from "~/domain/identity/gestion-schemas";
import { ProfileSchema } from "~/domain/identity/schemas";
import { Field, FormErrors, SubmitButton, TextAreaField, useValidatedForm, SavedNotice } from "~/components/forms";
import { DOCUMENT_LABELS, formatDay, formatDocumentCents, InvoicePdfLink } from "~/components/invoice-sheet";
import { CalendarFeed, MyBookings, MyPasses, MyWaitlist } from "~/components/account/coworking-sections";
import { LandSummary } from "~/components/land/account-sections";
import { PledgesSummary } from "~/components/crowdfunding/account-section";
import { TrainingsSummary } from "~/components/training/account-section";
import { personPledges } from "~/domain/crowdfunding/index.server";
import { personApplication, personLeases } from "~/domain/leasing/index.server";
import {
  activeFeed,
  personBookings,
  personPasses,
  personSlotWaits,
  STATUS_LABELS,
} from "~/domain/booking/index.server";
import { listPersonInvoices } from "~/domain/ledger/index.server";
import { personRegistrations, personSessionWaits, trainsSessions } from "~/domain/training/index.server";
import { appUrl } from "~/utils/env.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { invalid } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Mon compte — Terrain Commun" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { person, membership, pole } = await requirePerson(request);
  const now = new Date();
  const who = { poleId: pole.id, personId: person.id, now };
  const [bookings, passes, feed, entries] = await Promise.all([
    personBookings(db, who),
    personPasses(db, who),
    activeFeed(db, who),
    personSlotWaits(db, who),
  ]);
  const resourceNames = new Map(
    (
      await db.resource.findMany({
        where: { id: { in: entries.map((e) => e.resourceId!) } },
        select: { id: true, name: true },
      })
    ).map((r) => [r.id, r.name]),
  );
  const row = (b: (typeof bookings.upcoming)[number]) => ({
    id: b.id,
    resourceName: b.resource.name,
    spaceName: b.resource.space.name,
    startsAt: b.startsAt.toISOString(),
    endsAt: b.endsAt.toISOString(),
    status: b.status,
    statusLabel: b.status === "HELD" && b.holdExpiresAt! <= now ? "Expirée" : STATUS_LABELS[b.status],
    priceCents: b.priceCents,
    passCredits: b.paymentMethod === "PASS" ? b.passCredits : 0,
    invoiceId: b.invoiceId,
  });
  const feedNotice = new URL(request.url).searchParams.get("agenda");
  const [application, leases, pledges, registrations, trainer, seatWaits] = await Promise.all([
    personApplication(db, who),
    personLeases(db, who),
    personPledges(db, who),
    personRegistrations(db, who),
    trainsSessions(db, who),
    personSessionWaits(db, who),
  ]);
  const next = registrations.upcoming.find((r) => r.status === "CONFIRMED") ?? null;
  const live = pledges.filter((p) => !["CANCELLED", "LAPSED", "REFUNDED"].includes(p.status));
  return json({
    bookings: { upcoming: bookings.upcoming.map(row), past: bookings.past.map(row), pastTotal: bookings.pastTotal },
    passes: passes.map((p) => ({
      id: p.id,
      name: p.name,
      credits: p.credits,
      creditsLeft: p.creditsLeft,
      status: p.status,
      expiresAt: p.expiresAt?.toISOString() ?? null,
      expired: p.expired,
      priceCents: p.priceCents,
    })),
    feedUrl: feed ? `${appUrl()}/calendrier/${feed.token}.ics` : null,
    feedNotice:
      feedNotice === "nouveau"
        ? "Votre adresse iCal est prête : l'ancienne ne fonctionne plus."
        : feedNotice === "revoque"
          ? "Votre adresse iCal est désactivée."
          : null,
    entries: entries.map((e) => ({
      id: e.id,
      resourceName: resourceNames.get(e.resourceId!) ?? "",
      startsAt: e.startsAt!.toISOString(),
      endsAt: e.endsAt!.toISOString(),
      status: e.status,
    })),
    person: {
      name: person.name,
      email: person.email,
      phone: person.phone ?? "",
      organisationName: person.organisationName ?? "",
      address: person.address ?? "",
      siren: person.siren ?? "",
      createdAt: person.createdAt,
    },
    role: ROLE_LABELS[membership.role],
    organisation: membership.organisation,
    poleName: pole.name,
    invoices: await listPersonInvoices(db, { poleId: pole.id, personId: person.id }),
    trainer,
    land: {
      position: application?.position ?? null,
      offers: leases.filter((l) => l.status === "OFFERED" && l.offerExpiresAt! > now).length,
      leases: leases.filter((l) => l.status === "ACTIVE").length,
    },
    trainings: {
      upcoming: registrations.upcoming.length,
      past: registrations.past.length,
      toPay: registrations.upcoming.filter((r) => r.held && r.payer === "SELF" && !r.paymentMethod).length,
      offers: registrations.upcoming.filter((r) => r.offerExpiresAt !== null).length,
      waiting: seatWaits.filter((w) => w.status === "WAITING").length,
      next: next ? { id: next.id, title: next.course.title, startsAt: next.session.startsAt.toISOString() } : null,
    },
    pledges: {
      count: live.length,
      totalCents: live.reduce((sum, p) => sum + p.amountCents + p.giftCents, 0),
      // A card to save or a failed charge; an announced transfer or cheque is for staff to confirm.
      toPay: live.filter((p) => p.status === "ACTION_REQUIRED" || (p.status === "PENDING" && p.method === "STRIPE"))
        .length,
      // Associates read the register of associates when the pole shows it to them; staff always do.
      register:
        membership.role === "ADMIN" ||
        membership.role === "STAFF" ||
        (membership.role === "MEMBER" && pole.registerVisibleToMembers),
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: ProfileSchema });
  if (submission.status !== "success") return invalid(submission);
  await updateProfile(db, person.id, submission.value);
  return json({ ...submission.reply(), saved: true as const });
}

export default function Account() {
  const {
    person,
    role,
    organisation,
    poleName,
    invoices,
    bookings,
    passes,
    feedUrl,
    feedNotice,
    entries,
    land,
    pledges,
    trainings,
    trainer,
  } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useValidatedForm(ProfileSchema, {
    lastResult,
    defaultValue: {
      name: person.name,
      phone: person.phone,
      organisationName: person.organisationName,
      address: person.address,
      siren: person.siren,
    },
  });
  return (
    <div>
      <h1>Mon compte</h1>
      {searchParams.has("bienvenue") ? (
        <p className="notice notice-success" role="status">
          Bienvenue, {person.name} ! Votre compte est créé.
        </p>
      ) : null}
      <div className="two-columns">
        <section className="card" aria-labelledby="identite">
          <h2 id="identite">Mes informations</h2>
          <dl className="details">
            <dt>Nom</dt>
            <dd>{person.name}</dd>
            <dt>Email</dt>
            <dd>{person.email}</dd>
            <dt>Adresse postale</dt>
            <dd className="invoice-address">{person.address || "Non renseignée"}</dd>
            {person.siren ? (
              <>
                <dt>SIREN</dt>
                <dd>{person.siren}</dd>
              </>
            ) : null}
            <dt>Statut au {poleName}</dt>
            <dd>{role}</dd>
            <dt>Organisation membre</dt>
            <dd>
              {organisation
                ? organisation.name
                : "Aucune (l'équipe du pôle peut vous rattacher à une organisation membre)"}
            </dd>
            <dt>Compte créé le</dt>
            <dd>{formatDate(person.createdAt)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="modifier">
          <h2 id="modifier">Modifier mes informations</h2>
          <SavedNotice result={lastResult}>Vos informations sont enregistrées.</SavedNotice>
          <Form method="post" {...getFormProps(form)} className="form">
            <FormErrors id={form.errorId} errors={form.errors} />
            <Field meta={fields.name} label="Nom et prénom" autoComplete="name" />
            <Field meta={fields.phone} label="Téléphone (facultatif)" type="tel" autoComplete="tel" />
            <Field
              meta={fields.organisationName}
              label="Organisation déclarée (facultatif)"
              autoComplete="organization"
            />
            <TextAreaField
              meta={fields.address}
              label="Adresse postale (facultatif)"
              rows={3}
              autoComplete="street-address"
              hint="Imprimée sur vos prochaines factures : numéro et rue, puis code postal et commune."
            />
            <Field
              meta={fields.siren}
              label="SIREN (facultatif)"
              inputMode="numeric"
              hint="Si vous exercez en votre nom (exploitation agricole, entreprise individuelle) : imprimé sur vos factures professionnelles, comme celles de fermage."
            />
            <SubmitButton pendingLabel="Enregistrement…">Enregistrer</SubmitButton>
          </Form>
        </section>
      </div>

      <MyBookings {...bookings} />
      <TrainingsSummary trainings={trainings} />
      <LandSummary land={land} />
      <PledgesSummary pledges={pledges} />
      <MyWaitlist entries={entries} />
      {trainer ? (
        <section aria-labelledby="animees" className="card">
          <h2 id="animees">Formations que j'anime</h2>
          <p>
            Notez les présences de vos sessions et imprimez leur feuille d'émargement :{" "}
            <Link to="/compte/formations/animees">mes sessions animées</Link>.
          </p>
        </section>
      ) : null}
      <div className="two-columns">
        <MyPasses passes={passes} />
        <CalendarFeed url={feedUrl} notice={feedNotice} />
      </div>
      <section aria-labelledby="factures" className="card">
        <h2 id="factures">Mes factures</h2>
        {invoices.length === 0 ? (
          <p className="muted">
            Vous n'avez encore reçu aucune facture du pôle. Elles apparaîtront ici, à imprimer ou à télécharger en PDF.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table invoice-table">
              <caption className="visually-hidden">Mes factures et avoirs, les plus récents d'abord</caption>
              <thead>
                <tr>
                  <th scope="col">Numéro</th>
                  <th scope="col">Date</th>
                  <th scope="col" className="num">
                    Montant TTC
                  </th>
                  <th scope="col">Documents</th>
                </tr>
              </thead>
              <tbody>
                {invoices.map((i) => (
                  <tr key={i.id}>
                    <th scope="row">
                      {DOCUMENT_LABELS[i.kind]} {i.number}
                      {i.creditedInvoice ? <span className="muted"> (sur {i.creditedInvoice.number})</span> : null}
                    </th>
                    <td>{formatDay(i.issueDate)}</td>
                    <td className="num">{formatDocumentCents(i.kind, i.totalInclTax)}</td>
                    <td className="invoice-row-links">
                      <Link
                        to={`/factures/${i.id}`}
                        aria-label={`Voir ${DOCUMENT_LABELS[i.kind].toLowerCase()} ${i.number}`}
                      >
                        Voir
                      </Link>{" "}
                      <InvoicePdfLink id={i.id} number={i.number} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
