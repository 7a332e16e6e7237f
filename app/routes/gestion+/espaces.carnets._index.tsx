import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { FormErrors, IntentForm, SubmitButton } from "~/components/forms";
import { DoneNotice, OfflinePaymentFields, resultFor, StatusBadge } from "~/components/spaces-admin";
import { PassPaidSchema } from "~/domain/booking/admin-schemas";
import { confirmPassPaidOffline, listPassProducts, listPendingPasses } from "~/domain/booking/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Carnets — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const [products, pending] = await Promise.all([
    listPassProducts(db, pole.id, { includeInactive: true }),
    listPendingPasses(db, pole.id),
  ]);
  return json({
    products: products.map((p) => ({
      id: p.id,
      name: p.name,
      credits: p.credits,
      validityMonths: p.validityMonths,
      memberCents: p.memberCents,
      publicCents: p.publicCents,
      resourceKind: p.resourceKind,
      active: p.active,
    })),
    pending: pending.map((p) => ({
      id: p.id,
      name: p.name,
      person: p.person,
      priceCents: p.priceCents,
      memberRate: p.memberRate,
      createdAt: p.createdAt,
      cardPending: p.cardPending,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "spaces:manage");
  const submission = parseWithZod(await readForm(request), { schema: PassPaidSchema });
  if (submission.status !== "success") return invalid(submission);
  const { passId, method, reference } = submission.value;
  const result = await runCommand(confirmPassPaidOffline, {
    poleId: pole.id,
    passId,
    method,
    reference,
    staffId: person.id,
    now: new Date(),
  });
  if (!result.ok) return refused(submission, result);
  return redirect("/gestion/espaces/carnets?fait=paye");
}

export default function Booklets() {
  const { products, pending } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const reply = resultFor(actionData, "pass-paid") as
    (ReturnType<typeof resultFor> & { initialValue?: { passId?: string } }) | undefined;
  return (
    <>
      <div className="title-row">
        <h1>Carnets</h1>
        <Link to="/gestion/espaces/carnets/nouveau" className="button">
          Nouveau carnet
        </Link>
      </div>
      <DoneNotice
        message={
          !actionData && searchParams.get("fait") === "paye"
            ? "Paiement enregistré : le carnet est actif et facturé."
            : null
        }
      />
      <p className="muted">
        Des demi-journées prépayées, valables quelques mois à compter du paiement ; elles règlent une réservation avant
        la carte.
      </p>
      {products.length === 0 ? (
        <p className="notice">Aucun carnet en vente.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Carnets proposés</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Pour</th>
                <th scope="col" className="num">
                  Demi-journées
                </th>
                <th scope="col" className="num">
                  Validité
                </th>
                <th scope="col" className="num">
                  Prix membres
                </th>
                <th scope="col" className="num">
                  Prix public
                </th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/gestion/espaces/carnets/${p.id}`}>{p.name}</Link>
                  </th>
                  <td>{p.resourceKind === "DESK" ? "Postes" : "Salles"}</td>
                  <td className="num">{formatNumber(p.credits)}</td>
                  <td className="num">{p.validityMonths} mois</td>
                  <td className="num">{formatCents(p.memberCents)}</td>
                  <td className="num">{formatCents(p.publicCents)}</td>
                  <td>
                    {p.active ? (
                      <StatusBadge status="CONFIRMED" label="En vente" />
                    ) : (
                      <StatusBadge status="CANCELLED" label="Retiré" />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section aria-labelledby="en-attente">
        <h2 id="en-attente">Carnets en attente de paiement</h2>
        {pending.length === 0 ? (
          <p className="muted">Aucun.</p>
        ) : (
          <ul className="pending-passes">
            {pending.map((p) => {
              const mine = reply?.initialValue?.passId === p.id ? reply : undefined;
              return (
                <li key={p.id} className="card">
                  <p>
                    <strong>{p.name}</strong> pour <Link to={`/gestion/personnes/${p.person.id}`}>{p.person.name}</Link>{" "}
                    — {formatCents(p.priceCents)} (tarif {p.memberRate ? "membre" : "public"}), commandé le{" "}
                    {formatDate(p.createdAt, "dateTime")}
                    {p.cardPending ? (
                      <span className="badge booking-status booking-status-held">Paiement par carte en cours</span>
                    ) : null}
                  </p>
                  <IntentForm intent="pass-paid" className="form inline-payment">
                    <input type="hidden" name="passId" value={p.id} />
                    <FormErrors errors={mine?.error?.[""] ?? undefined} />
                    <OfflinePaymentFields idPrefix={`carnet-${p.id}`} errors={mine?.error ?? undefined} />
                    <SubmitButton className="button button-small">Paiement reçu</SubmitButton>
                  </IntentForm>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}
