import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { allErrors, FormErrors, SubmitButton } from "~/components/forms";
import { buyPassByCard, listPassProducts, orderPass } from "~/domain/booking/index.server";
import { memberRateOf } from "~/domain/identity/index.server";
import { cardPaymentEnabled, getStripe } from "~/domain/payments/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { text, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "Acheter un carnet — Mon compte" }];

const OrderSchema = z.object({
  productId: text({ message: "Choisissez un carnet." }).min(1, "Choisissez un carnet."),
  idempotencyKey: text({ message: "Rechargez la page : le formulaire a expiré." })
    .min(8, "Rechargez la page : le formulaire a expiré.")
    .max(100),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePerson(request);
  const products = await listPassProducts(db, pole.id);
  const member = memberRateOf(membership);
  return json({
    member,
    card: cardPaymentEnabled(),
    formKey: crypto.randomUUID(),
    products: products.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      credits: p.credits,
      validityMonths: p.validityMonths,
      priceCents: member ? p.memberCents : p.publicCents,
      publicCents: p.publicCents,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: OrderSchema });
  if (submission.status !== "success") return invalid(submission);
  const { productId, idempotencyKey } = submission.value;
  const order = { poleId: pole.id, productId, idempotencyKey: `${idempotencyKey}:${productId}` };
  const stripe = getStripe();
  // Without card payment the booklet is ordered and paid at the desk; with it, ordered only to be paid by card.
  const result = stripe
    ? await buyPassByCard(db, stripe, { ...order, person: { id: person.id, email: person.email }, now: new Date() })
    : await orderPass(db, { ...order, personId: person.id });
  if (!result.ok) return refused(submission, result.field === "productId" ? { ...result, field: undefined } : result);
  if ("url" in result.value && result.value.url) return redirect(result.value.url);
  return redirect("/compte?carnet=commande#carnets");
}

export default function BuyPass() {
  const { products, member, card, formKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors = allErrors(lastResult);
  return (
    <div className="narrow">
      <p>
        <Link to="/compte#carnets">← Mon compte</Link>
      </p>
      <h1>Acheter un carnet</h1>
      <p className="lead">
        Des demi-journées de poste prépayées, utilisées en priorité à chaque réservation (une journée compte deux
        demi-journées).
      </p>
      {searchParams.get("paiement") === "retour" ? (
        <p className="notice notice-success" role="status">
          Paiement reçu : votre carnet s'active dans quelques secondes. Retrouvez-le dans{" "}
          <Link to="/compte#carnets">Mon compte</Link>.
        </p>
      ) : null}
      <FormErrors id="order-errors" errors={errors} />
      {products.length === 0 ? <p className="card">Aucun carnet n'est en vente pour le moment.</p> : null}
      <ul className="plain-list product-list">
        {products.map((p) => (
          <li key={p.id} className="card">
            <h2>{p.name}</h2>
            {p.description ? <p>{p.description}</p> : null}
            <p>
              {p.credits} demi-journées, valable {p.validityMonths} mois à partir du paiement —{" "}
              <strong>{formatCents(p.priceCents)}</strong> TTC{member ? " (tarif membre)" : ""}
            </p>
            <Form method="post">
              <input type="hidden" name="productId" value={p.id} />
              <input type="hidden" name="idempotencyKey" value={formKey} />
              <SubmitButton pendingLabel="Commande…">
                {card ? `Payer ${formatCents(p.priceCents)} par carte` : "Commander (paiement à l'accueil)"}
              </SubmitButton>
            </Form>
          </li>
        ))}
      </ul>
      {!card ? (
        <p className="field-hint">
          Le paiement en ligne n'est pas activé : le carnet s'active quand l'équipe a reçu votre règlement.
        </p>
      ) : null}
    </div>
  );
}
