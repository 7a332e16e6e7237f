import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { Field, FormErrors, IntentButton, IntentForm, SubmitButton, useValidatedForm } from "~/components/forms";
import { DoneNotice, resultFor } from "~/components/spaces-admin";
import { ApplyIndexationSchema, BoundsSchema, IndexSchema } from "~/domain/leasing/admin-schemas";
import {
  applyIndexation,
  listBounds,
  listIndexes,
  previewIndexation,
  saveBounds,
  saveIndex,
} from "~/domain/leasing/index.server";
import { formatIndex } from "~/domain/leasing/rules";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Fermages et indice — Gestion" }];

const PAGE = "/gestion/terres/fermages";

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const today = parisDate(new Date());
  const [bounds, indexes] = await Promise.all([listBounds(db, pole.id), listIndexes(db, pole.id)]);
  // The revision shown: the year asked for, else the latest index entered.
  const asked = Number(new URL(request.url).searchParams.get("annee"));
  const year = indexes.some((i) => i.year === asked) ? asked : (indexes[0]?.year ?? null);
  const preview = year ? await previewIndexation(db, { poleId: pole.id, year, today }) : null;
  const applied = year ? await db.leaseRentChange.count({ where: { indexYear: year, lease: { poleId: pole.id } } }) : 0;
  return json({
    currentYear: Number(today.slice(0, 4)),
    bounds: bounds.map((b) => ({ year: b.year, min: b.minPerHectareCents, max: b.maxPerHectareCents })),
    indexes: indexes.map((i) => ({ year: i.year, value: formatIndex(i.value), enteredAt: i.createdAt })),
    revision: preview
      ? {
          year: preview.index.year,
          index: formatIndex(preview.index.value),
          applied,
          lines: preview.lines.map((l) => ({ ...l, previousIndex: formatIndex(l.previousIndex) })),
        }
      : null,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "land:manage");
  const form = await readForm(request);
  switch (form.get("intent")) {
    case "bounds": {
      const submission = parseWithZod(form, { schema: BoundsSchema });
      if (submission.status !== "success") return invalid(submission);
      const { year, min, max } = submission.value;
      const result = await runCommand(saveBounds, {
        poleId: pole.id,
        year,
        minPerHectareCents: min,
        maxPerHectareCents: max,
      });
      if (!result.ok) return refused(submission, result);
      return redirect(`${PAGE}?fait=bornes`);
    }
    case "index": {
      const submission = parseWithZod(form, { schema: IndexSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(saveIndex, {
        poleId: pole.id,
        year: submission.value.year,
        value: submission.value.value,
        actorId: person.id,
      });
      if (!result.ok) return refused(submission, result);
      return redirect(`${PAGE}?annee=${result.value.year}&fait=indice#revision`);
    }
    case "apply": {
      const submission = parseWithZod(form, { schema: ApplyIndexationSchema });
      if (submission.status !== "success") return invalid(submission);
      const year = submission.value.year;
      const result = await runCommand(applyIndexation, {
        poleId: pole.id,
        year,
        staffId: person.id,
        today: parisDate(new Date()),
      });
      if (!result.ok) return refused(submission, result);
      return redirect(`${PAGE}?annee=${year}&fait=revision&n=${result.value.changed}#revision`);
    }
    default:
      return httpError(400, "Cette action n'existe pas.");
  }
}

function doneMessage(params: URLSearchParams) {
  switch (params.get("fait")) {
    case "bornes":
      return "Bornes préfectorales enregistrées : les propositions de l'année s'y tiennent.";
    case "indice":
      return "Indice enregistré. Vérifiez ci-dessous les loyers révisés avant d'appliquer la révision.";
    case "revision": {
      const n = Number(params.get("n"));
      return n > 0
        ? `Révision appliquée à ${n} bail(aux) : chaque bail passe au nouveau loyer à sa prochaine date anniversaire.`
        : "Aucun loyer à réviser : les baux en cours le sont déjà sur cet indice.";
    }
    default:
      return null;
  }
}

export default function LandTerms() {
  const { bounds, indexes, revision } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <h1>Fermages et indice</h1>
      <DoneNotice message={actionData ? null : doneMessage(searchParams)} />
      <div className="two-columns">
        <section className="card" aria-labelledby="bornes">
          <h2 id="bornes">Bornes préfectorales du fermage</h2>
          <p className="field-hint">
            Fixées chaque année par arrêté préfectoral : un loyer à l'hectare hors de ces bornes est refusé.
          </p>
          {bounds.length === 0 ? (
            <p className="muted">Aucune borne saisie.</p>
          ) : (
            <table className="table terms-table">
              <caption className="visually-hidden">Bornes par année, en euros par hectare et par an</caption>
              <thead>
                <tr>
                  <th scope="col">Année</th>
                  <th scope="col" className="num">
                    Minimum
                  </th>
                  <th scope="col" className="num">
                    Maximum
                  </th>
                </tr>
              </thead>
              <tbody>
                {bounds.map((b) => (
                  <tr key={b.year}>
                    <th scope="row">{b.year}</th>
                    <td className="num">{formatCents(b.min)}</td>
                    <td className="num">{formatCents(b.max)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <BoundsForm />
        </section>
        <section className="card" aria-labelledby="indice">
          <h2 id="indice">Indice national des fermages</h2>
          <p className="field-hint">
            Publié chaque année (en juillet) : il révise les loyers des baux en cours, loyer × nouvel indice ÷ indice de
            référence.
          </p>
          {indexes.length === 0 ? (
            <p className="muted">Aucun indice saisi.</p>
          ) : (
            <table className="table terms-table">
              <caption className="visually-hidden">Indice par année</caption>
              <thead>
                <tr>
                  <th scope="col">Année</th>
                  <th scope="col" className="num">
                    Indice
                  </th>
                  <th scope="col">Saisi le</th>
                </tr>
              </thead>
              <tbody>
                {indexes.map((i) => (
                  <tr key={i.year}>
                    <th scope="row">
                      <Link to={`?annee=${i.year}#revision`}>{i.year}</Link>
                    </th>
                    <td className="num">{i.value}</td>
                    <td>{formatDate(i.enteredAt, "short")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <IndexForm />
        </section>
      </div>
      <Revision revision={revision} />
    </>
  );
}

function BoundsForm() {
  const { currentYear } = useLoaderData<typeof loader>();
  const [form, fields] = useValidatedForm(BoundsSchema, {
    lastResult: resultFor(useActionData<typeof action>(), "bounds"),
    defaultValue: { year: String(currentYear) },
    id: "bornes-form",
  });
  return (
    <IntentForm
      intent="bounds"
      {...getFormProps(form)}
      className="form terms-form"
      aria-label="Saisir les bornes d'une année"
    >
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="form-row form-row-3">
        <Field meta={fields.year} label="Année" type="number" />
        <Field meta={fields.min} label="Minimum (€/ha)" placeholder="52,10" />
        <Field meta={fields.max} label="Maximum (€/ha)" placeholder="270,00" />
      </div>
      <SubmitButton pendingLabel="Enregistrement…" className="button button-secondary">
        Enregistrer les bornes
      </SubmitButton>
    </IntentForm>
  );
}

function IndexForm() {
  const { currentYear } = useLoaderData<typeof loader>();
  const [form, fields] = useValidatedForm(IndexSchema, {
    lastResult: resultFor(useActionData<typeof action>(), "index"),
    defaultValue: { year: String(currentYear) },
    id: "indice-form",
  });
  return (
    <IntentForm
      intent="index"
      {...getFormProps(form)}
      className="form terms-form"
      aria-label="Saisir l'indice d'une année"
    >
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="form-row">
        <Field meta={fields.year} label="Année" type="number" />
        <Field meta={fields.value} label="Valeur de l'indice" placeholder="122,55" />
      </div>
      <SubmitButton pendingLabel="Enregistrement…" className="button button-secondary">
        Enregistrer l'indice
      </SubmitButton>
    </IntentForm>
  );
}

type RevisionData = ReturnType<typeof useLoaderData<typeof loader>>["revision"];

function Revision({ revision }: { revision: RevisionData }) {
  const applyErrors = resultFor(useActionData<typeof action>(), "apply")?.error?.[""] ?? undefined;
  if (!revision) return null;
  const total = (key: "currentCents" | "newCents") => revision.lines.reduce((sum, l) => sum + l[key], 0);
  return (
    <section aria-labelledby="revision-title" className="card" id="revision">
      <h2>
        <span id="revision-title">Révision des loyers sur l'indice {revision.year}</span>{" "}
        <span className="muted">({revision.index})</span>
      </h2>
      <FormErrors errors={applyErrors} />
      {revision.lines.length === 0 ? (
        <p className="muted">
          {revision.applied > 0
            ? `Révision appliquée à ${revision.applied} bail(aux) ; aucun autre bail en cours n'attend de révision sur cet indice.`
            : "Aucun bail en cours n'attend de révision sur cet indice (un bail qui finit avant sa prochaine date anniversaire garde son loyer)."}
        </p>
      ) : (
        <>
          <p className="field-hint">
            Nouveau loyer = loyer actuel × {revision.index} ÷ indice de référence du bail, arrondi au centime. Rien ne
            change avant « Appliquer la révision » ; ensuite, chaque bail passe au nouveau loyer à sa prochaine date
            anniversaire (l'année de bail en cours garde son loyer).
          </p>
          <div className="table-scroll">
            <table className="table revision-table">
              <caption className="visually-hidden">Loyers annuels avant et après révision, par bail en cours</caption>
              <thead>
                <tr>
                  <th scope="col">Parcelle</th>
                  <th scope="col">Titulaire</th>
                  <th scope="col" className="num">
                    Loyer actuel
                  </th>
                  <th scope="col" className="num">
                    Indice de référence
                  </th>
                  <th scope="col" className="num">
                    Nouveau loyer
                  </th>
                  <th scope="col" className="num">
                    Écart
                  </th>
                  <th scope="col">À partir du</th>
                </tr>
              </thead>
              <tbody>
                {revision.lines.map((l) => (
                  <tr key={l.leaseId}>
                    <th scope="row">
                      <Link to={`/gestion/terres/baux/${l.leaseId}`}>{l.plotCode}</Link>
                    </th>
                    <td>{l.holder}</td>
                    <td className="num">{formatCents(l.currentCents)}</td>
                    <td className="num">{l.previousIndex}</td>
                    <td className="num">
                      <strong>{formatCents(l.newCents)}</strong>
                    </td>
                    <td className="num">{signed(l.newCents - l.currentCents)}</td>
                    <td>{formatDate(`${l.effectiveOn}T12:00:00Z`, "short")}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    Total annuel
                  </th>
                  <td className="num">{formatCents(total("currentCents"))}</td>
                  <td />
                  <td className="num">{formatCents(total("newCents"))}</td>
                  <td className="num">{signed(total("newCents") - total("currentCents"))}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
          <IntentButton intent="apply" values={{ year: String(revision.year) }} className="button">
            Appliquer la révision
          </IntentButton>
        </>
      )}
    </section>
  );
}

const signed = (cents: number) => (cents > 0 ? `+${formatCents(cents)}` : formatCents(cents));
