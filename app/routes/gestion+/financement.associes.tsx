import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RegisterTable } from "~/components/register-of-associates";
import { registerOfAssociates } from "~/domain/crowdfunding/index.server";
import { db } from "~/utils/db.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Registre des associés — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  return json({
    register: await registerOfAssociates(db, pole.id),
    visibleToMembers: pole.registerVisibleToMembers,
  });
}

export default function Register() {
  const { register, visibleToMembers } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Registre des associés</h1>
        <p className="link-row">
          <a href="/gestion/financement/associes.csv" className="button button-secondary" download>
            Exporter en CSV
          </a>
        </p>
      </div>
      <p className="field-hint">
        Les souscriptions de parts sociales admises par le conseil (la date d'admission s'enregistre sur chaque
        contribution).{" "}
        {visibleToMembers ? "Les membres le consultent dans leur compte." : "Il n'est pas ouvert aux membres"} —{" "}
        <Link to="/gestion/parametres">paramètres du pôle</Link>.
      </p>
      <RegisterTable register={register} />
    </>
  );
}
