import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, useValidatedForm } from "~/components/forms";
import { PhotoPreview, PoleRulesForm, StatusBadge } from "~/components/spaces-admin";
import { PolicySchema, RATE_UNITS, RESOURCE_KIND_SHORT } from "~/domain/booking/admin-schemas";
import { listSpaces, pendingActions, updateBookingPolicy } from "~/domain/booking/index.server";
import { formatSlot } from "~/domain/booking/describe";
import { addDays } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatNumber } from "~/utils/format";
import { invalid } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Espaces et réservations — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "spaces:manage");
  const [spaces, pending] = await Promise.all([
    listSpaces(db, pole.id, { includeInactive: true }),
    pendingActions(db, pole.id),
  ]);
  const today = parisDate(new Date());
  return json({
    canEdit: can(membership.role, "settings:edit"),
    policy: {
      cancellationDeadlineHours: String(pole.cancellationDeadlineHours),
      lateCancellationFeePercent: String(pole.lateCancellationFeePercent),
      holdMinutes: String(pole.holdMinutes),
    },
    spaces: spaces.map((s) => ({
      id: s.id,
      name: s.name,
      where: [s.building, s.floor].filter(Boolean).join(", "),
      photo: s.photo,
      resources: s.resources.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        capacity: r.capacity,
        active: r.active,
        rates: RATE_UNITS.map((unit) => r.rates.find((rate) => rate.unit === unit) ?? null).map((rate) =>
          rate ? { member: rate.memberCents, public: rate.publicCents } : null,
        ),
      })),
    })),
    pending: {
      awaitingPayment: pending.awaitingPayment,
      awaitingHref: `/gestion/espaces/reservations?status=AWAITING_PAYMENT&from=${addDays(today, -365)}&to=${addDays(today, 365)}`,
      passes: pending.passes,
      refunds: pending.refunds.map((r) => ({
        id: r.id,
        amountCents: r.amountCents,
        method: r.payment.method,
        person: r.payment.person.name,
        booking: r.payment.booking
          ? {
              id: r.payment.booking.id,
              label: `${r.payment.booking.resource.name} — ${formatSlot(r.payment.booking.startsAt, r.payment.booking.endsAt)}`,
            }
          : null,
      })),
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "settings:edit");
  const submission = parseWithZod(await readForm(request), { schema: PolicySchema });
  if (submission.status !== "success") return invalid(submission);
  await updateBookingPolicy(db, pole.id, submission.value);
  return json({ ...submission.reply(), saved: true as const });
}

const RATE_UNIT_SHORT = { HOUR: "Heure", HALF_DAY: "Demi-journée", DAY: "Journée" } as const;

export default function SpacesOverview() {
  const { spaces, pending } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Espaces et réservations</h1>
        <Link to="/gestion/espaces/nouveau" className="button">
          Ajouter un espace
        </Link>
      </div>

      <section aria-labelledby="a-faire" className="card pending-card">
        <h2 id="a-faire">À traiter</h2>
        <ul className="pending-list">
          <li>
            <span className="pending-count">{formatNumber(pending.awaitingPayment)}</span> réservation(s) à régler sur
            place {pending.awaitingPayment > 0 ? <Link to={pending.awaitingHref}>Voir et encaisser</Link> : null}
          </li>
          <li>
            <span className="pending-count">{formatNumber(pending.refunds.length)}</span> remboursement(s) à faire à la
            main (virement, chèque, espèces)
          </li>
          <li>
            <span className="pending-count">{formatNumber(pending.passes)}</span> carnet(s) en attente de paiement{" "}
            {pending.passes > 0 ? <Link to="/gestion/espaces/carnets">Voir les carnets</Link> : null}
          </li>
        </ul>
        {pending.refunds.length > 0 ? (
          <ul className="plain-list refund-list">
            {pending.refunds.map((r) => (
              <li key={r.id}>
                {formatCents(r.amountCents)} à rendre à {r.person}
                {r.booking ? (
                  <>
                    {" "}
                    — <Link to={`/gestion/espaces/reservations/${r.booking.id}`}>{r.booking.label}</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      {spaces.length === 0 ? (
        <p className="notice">
          Aucun espace pour l'instant : commencez par ajouter un bâtiment ou un étage, puis ses postes et salles.
        </p>
      ) : (
        spaces.map((space) => (
          <section key={space.id} className="card space-card" aria-labelledby={`espace-${space.id}`}>
            <div className="space-head">
              <PhotoPreview src={space.photo} />
              <div>
                <h2 id={`espace-${space.id}`}>{space.name}</h2>
                {space.where ? <p className="muted">{space.where}</p> : null}
                <p className="link-row">
                  <Link to={`/gestion/espaces/${space.id}`}>Modifier l'espace</Link>
                  <Link to={`/gestion/espaces/ressources/nouvelle?espace=${space.id}`}>
                    Ajouter un poste ou une salle
                  </Link>
                  <Link to={`/gestion/espaces/calendrier?espace=${space.id}`}>Calendrier</Link>
                </p>
              </div>
            </div>
            {space.resources.length === 0 ? (
              <p className="muted">Aucun poste ni aucune salle dans cet espace.</p>
            ) : (
              <div className="table-scroll">
                <table className="table resources-table">
                  <caption className="visually-hidden">
                    Postes et salles de {space.name}, tarifs TTC membres / public
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Nom</th>
                      <th scope="col">Type</th>
                      <th scope="col" className="num">
                        Places
                      </th>
                      {RATE_UNITS.map((u) => (
                        <th key={u} scope="col" className="num">
                          {RATE_UNIT_SHORT[u]}
                          <span className="th-sub">membres / public</span>
                        </th>
                      ))}
                      <th scope="col">État</th>
                    </tr>
                  </thead>
                  <tbody>
                    {space.resources.map((r) => (
                      <tr key={r.id}>
                        <th scope="row">
                          <Link to={`/gestion/espaces/ressources/${r.id}`}>{r.name}</Link>
                        </th>
                        <td>{RESOURCE_KIND_SHORT[r.kind]}</td>
                        <td className="num">{formatNumber(r.capacity)}</td>
                        {r.rates.map((rate, i) => (
                          <td key={RATE_UNITS[i]} className="num rate-cell">
                            {rate ? (
                              `${formatCents(rate.member)} / ${formatCents(rate.public)}`
                            ) : (
                              <span className="muted">—</span>
                            )}
                          </td>
                        ))}
                        <td>
                          {r.active ? (
                            <StatusBadge status="CONFIRMED" label="Ouverte" />
                          ) : (
                            <StatusBadge status="CANCELLED" label="Fermée" />
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))
      )}
      <PolicyForm />
    </>
  );
}

function PolicyForm() {
  const { canEdit, policy } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(PolicySchema, { lastResult, defaultValue: policy });
  return (
    <PoleRulesForm
      form={form}
      lastResult={lastResult}
      canEdit={canEdit}
      legendId="politique"
      legend="Règles de réservation du pôle"
    >
      <div className="form-row form-row-3">
        <Field
          meta={fields.cancellationDeadlineHours}
          label="Annulation gratuite jusqu'à (heures avant)"
          type="number"
          hint="24 = la veille à la même heure."
        />
        <Field
          meta={fields.lateCancellationFeePercent}
          label="Frais d'annulation tardive (% du prix)"
          type="number"
          hint="0 = toujours gratuite."
        />
        <Field
          meta={fields.holdMinutes}
          label="Temps pour payer (minutes)"
          type="number"
          hint="Le créneau est gardé pendant le paiement."
        />
      </div>
    </PoleRulesForm>
  );
}
