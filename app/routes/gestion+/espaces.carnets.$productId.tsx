import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { SavedNotice } from "~/components/forms";
import { DoneNotice, PassProductForm } from "~/components/spaces-admin";
import { PassProductSchema } from "~/domain/booking/admin-schemas";
import { getPassProduct, savePassProduct } from "~/domain/booking/index.server";
import { centsToInput } from "~/domain/ledger/schemas";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.product.name ?? "Carnet"} — Gestion` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const product = await getPassProduct(db, pole.id, params.productId ?? "");
  if (!product) httpError(404, "Ce carnet n'existe pas.");
  const sold = await db.pass.count({ where: { productId: product.id, status: "ACTIVE" } });
  return json({
    product: { id: product.id, name: product.name, sold },
    values: {
      name: product.name,
      description: product.description,
      credits: String(product.credits),
      validityMonths: String(product.validityMonths),
      resourceKind: product.resourceKind,
      memberPrice: centsToInput(product.memberCents),
      publicPrice: centsToInput(product.publicCents),
      active: product.active ? "on" : "",
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const submission = parseWithZod(await readForm(request), { schema: PassProductSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await savePassProduct(db, pole.id, params.productId ?? "", submission.value);
  if (!result.ok) return refused(submission, result);
  return json({ ...submission.reply(), saved: true as const });
}

export default function BookletPage() {
  const { product, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <p>
        <Link to="/gestion/espaces/carnets">← Tous les carnets</Link>
      </p>
      <h1>{product.name}</h1>
      <DoneNotice message={!lastResult && searchParams.get("fait") === "cree" ? "Carnet créé." : null} />
      <SavedNotice result={lastResult}>Carnet enregistré.</SavedNotice>
      <p className="muted">
        {product.sold} carnet(s) actif(s) de ce modèle. Un changement vaut pour les prochaines commandes : les carnets
        déjà achetés gardent leurs crédits, leur prix et leur validité.
      </p>
      <PassProductForm lastResult={lastResult} submitLabel="Enregistrer" defaultValue={values} />
    </>
  );
}
