import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { reconfirm } from "~/domain/waitlist/index.server";
import { formatDate } from "~/utils/format";

// The yearly reconfirmation's one-click link (/terres/confirmer?jeton=…), sent by email. Confirming on GET only
// keeps an application where it is; the token works once (a used or unknown one answers 410).

export const meta: MetaFunction = () => [
  { title: "Confirmer ma candidature — Terrain Commun" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("jeton")?.trim() ?? "";
  if (token.length < 16 || token.length > 100) {
    return json(
      {
        ok: false as const,
        message:
          "Ce lien est incomplet : copiez l'adresse entière reçue par email, ou retrouvez votre candidature dans Mon compte.",
      },
      { status: 410 },
    );
  }
  const now = new Date();
  const result = await runCommand(reconfirm, {
    token,
    now,
    // Read in the command's transaction: the embedded database has one connection, and the transaction holds it.
    months: async (tx, poleId) =>
      (await tx.pole.findUniqueOrThrow({ where: { id: poleId }, select: { reconfirmMonths: true } })).reconfirmMonths,
  });
  if (!result.ok) return json({ ok: false as const, message: result.message }, { status: result.status });
  return json({ ok: true as const, nextDue: result.value.reconfirmDueAt?.toISOString() ?? null });
}

export default function Reconfirm() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <p className="eyebrow">Liste d'attente des parcelles</p>
      {data.ok ? (
        <>
          <h1>Candidature confirmée</h1>
          <p className="notice notice-success" role="status">
            Merci : votre candidature reste sur la liste d'attente, à sa place.
            {data.nextDue ? ` Nous vous redemanderons de la confirmer vers le ${formatDate(data.nextDue)}.` : ""}
          </p>
        </>
      ) : (
        <>
          <h1>Lien non valable</h1>
          <p className="notice notice-error" role="alert">
            {data.message}
          </p>
        </>
      )}
      <p>
        <Link to="/compte/terres" className="button button-secondary">
          Voir ma candidature
        </Link>
      </p>
    </div>
  );
}
