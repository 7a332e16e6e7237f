import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RegisterTable } from "~/components/register-of-associates";
import { registerOfAssociates } from "~/domain/crowdfunding/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { can } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Registre des associés — Mon compte" }];

// The register of associates as members read it: only when the pole opens it to them (a setting, off by
// default); the team always can. Anyone else is refused, with nothing of the register in the answer.
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePerson(request);
  const staff = can(membership.role, "crowdfunding:manage");
  if (!staff && !(membership.role === "MEMBER" && pole.registerVisibleToMembers))
    httpError(403, "Le registre des associés n'est pas ouvert à votre compte.");
  return json({ register: await registerOfAssociates(db, pole.id), poleName: pole.name });
}

export default function MemberRegister() {
  const { register, poleName } = useLoaderData<typeof loader>();
  return (
    <div>
      <p>
        <Link to="/compte">← Mon compte</Link>
      </p>
      <h1>Registre des associés</h1>
      <p className="muted">Les associés de {poleName} admis par le conseil, avec leurs parts sociales.</p>
      <RegisterTable register={register} />
    </div>
  );
}
