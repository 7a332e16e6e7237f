import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { SavedNotice } from "~/components/forms";
import { LandBadge, LeasesTable, PlotForm } from "~/components/land-admin";
import { DoneNotice } from "~/components/spaces-admin";
import { plotFormValues, plotInputOf, PlotSchema } from "~/domain/leasing/admin-schemas";
import {
  findPlot,
  LEASE_STATUS_LABELS,
  leaseRegister,
  savePlotChecked,
  shapeChoices,
} from "~/domain/leasing/index.server";
import { KIND_LABELS, formatSurface } from "~/domain/leasing/rules";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Parcelle ${data?.plot.code ?? ""} — Gestion` },
];

async function plotOf(poleId: string, plotId: string | undefined) {
  // By id only: a code in the address would let a renamed plot's old URL reach another one.
  const plot = await findPlot(db, poleId, plotId ?? "");
  if (!plot || plot.id !== plotId) httpError(404, "Cette parcelle n'existe pas.");
  return plot;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const plot = await plotOf(pole.id, params.plotId);
  const today = parisDate(new Date());
  const [shapes, leases] = await Promise.all([
    shapeChoices(db, pole.id),
    leaseRegister(db, { poleId: pole.id, status: "ALL", plotId: plot.id, today, page: 1, pageSize: 50 }),
  ]);
  return json({
    plot: {
      id: plot.id,
      code: plot.code,
      name: plot.name,
      surface: formatSurface(plot.surfaceM2),
      active: plot.active,
    },
    values: plotFormValues(plot),
    shapes,
    leases: leases.rows.map((l) => ({
      id: l.id,
      label: l.holder.name,
      kind: KIND_LABELS[l.kind],
      status: l.status,
      statusLabel: LEASE_STATUS_LABELS[l.status],
      startsOn: l.startsOn,
      endsOn: l.endsOn,
      yearlyRentCents: l.yearlyRentCents,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const plot = await plotOf(pole.id, params.plotId);
  const submission = parseWithZod(await readForm(request), { schema: PlotSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await runCommand(savePlotChecked, {
    poleId: pole.id,
    plotId: plot.id,
    data: plotInputOf(submission.value),
    today: parisDate(new Date()),
  });
  if (!result.ok) return refused(submission, result);
  return json({ ...submission.reply(), saved: true as const });
}

export default function PlotPage() {
  const { plot, values, shapes, leases } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <p>
        <Link to="/gestion/terres">← Toutes les parcelles</Link>
      </p>
      <div className="title-row">
        <h1>
          Parcelle {plot.code}
          {plot.name ? ` — ${plot.name}` : ""}
        </h1>
        {plot.active ? null : <LandBadge tone="muted" label="Masquée" />}
      </div>
      <p className="muted">{plot.surface}</p>
      <DoneNotice
        message={
          !lastResult && searchParams.get("fait") === "creee"
            ? "Parcelle créée : elle apparaît sur le plan du site si elle est visible."
            : null
        }
      />
      <SavedNotice result={lastResult}>Modifications enregistrées.</SavedNotice>
      <section aria-labelledby="baux-parcelle">
        <h2 id="baux-parcelle">Baux et propositions</h2>
        {leases.length === 0 ? (
          <p className="muted">Cette parcelle n'a jamais été proposée.</p>
        ) : (
          <LeasesTable caption={`Baux et propositions de la parcelle ${plot.code}`} rows={leases} />
        )}
      </section>
      <h2>Fiche</h2>
      <PlotForm lastResult={lastResult} defaultValue={values} shapes={shapes} submitLabel="Enregistrer" />
    </>
  );
}
