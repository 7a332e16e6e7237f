import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, SelectField, SubmitButton, useValidatedForm } from "~/components/forms";
import { PrintButton } from "~/components/ledger";
import {
  parisDate,
  recentVatPeriods,
  updateVatSettings,
  vatReturn,
  vatSettings,
  type VatReturn,
} from "~/domain/ledger/index.server";
import { formatRate } from "~/domain/ledger/vat";
import {
  VAT_BASIS_HINTS,
  VAT_BASIS_LABELS,
  VAT_BASES,
  VAT_ITEM_HOW,
  VAT_PERIOD_LABELS,
  VAT_PERIODS,
  VatSettingsSchema,
} from "~/domain/ledger/vat-schemas";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { httpError, readForm } from "~/utils/http.server";
import { requestedVatPeriod } from "~/utils/ledger-reports.server";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Déclaration de TVA — Comptabilité" }];

const BASE = "/gestion/comptabilite/tva";

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "ledger:manage");
  const settings = await vatSettings(db, pole.id);
  const today = parisDate(new Date());
  const period = requestedVatPeriod(new URL(request.url), settings.vatPeriod, today);
  const figures = await vatReturn(db, { poleId: pole.id, period, basis: settings.vatBasis });
  const periods = recentVatPeriods(today, settings.vatPeriod, settings.vatPeriod === "MONTHLY" ? 24 : 8);
  if (!periods.some((p) => p.key === period.key)) periods.unshift(period);
  return json({
    figures,
    settings,
    periods: periods.map((p) => ({ key: p.key, label: p.label })),
    canEdit: can(membership.role, "ledger:close"),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  await requirePermission(request, "ledger:manage");
  // How VAT falls due is the pole's tax option: administrators only.
  const { pole, person } = await requirePermission(request, "ledger:close");
  const formData = await readForm(request);
  if (formData.get("intent") !== "settings") return httpError(400, "Action inconnue sur la déclaration de TVA.");
  const submission = parseWithZod(formData, { schema: VatSettingsSchema });
  if (submission.status !== "success") return json({ ...submission.reply(), saved: false }, { status: 400 });
  const result = await updateVatSettings(db, {
    poleId: pole.id,
    actorId: person.id,
    vatBasis: submission.value.vatBasis,
    vatPeriod: submission.value.vatPeriod,
  });
  if (!result.ok)
    return json({ ...submission.reply({ formErrors: [result.message] }), saved: false }, { status: result.status });
  return json({ ...submission.reply(), saved: true });
}

type Figures = VatReturn;
type Line = Figures["lines"][number];

const money = (cents: number | null) => (cents === null ? "" : formatCents(cents));
const euros = (value: number | null) => (value === null ? "" : `${formatNumber(value)} €`);

/** The CA3 lines whose detail is a list of documents or entries (A1 and 16 sum the rate lines). */
const DETAILED = new Set(["E2", "08", "9B", "09", "T6", "14", "19", "20"]);
const SUMS: Record<string, string> = {
  A1: "bases des lignes 08 à 14",
  "16": "somme des lignes 08 à 14",
  "23": "somme des lignes 19 et 20",
};

export default function VatReturnPage() {
  const { figures, settings, periods, canEdit } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const shown = figures.lines.filter((l) => l.always || l.base || l.tax);
  const sections: { title: string; codes: string[] }[] = [
    { title: "A. Montant des opérations réalisées", codes: ["A1", "E2"] },
    { title: "B. TVA brute", codes: ["08", "9B", "09", "T6", "14", "16"] },
    { title: "TVA déductible", codes: ["19", "20", "23"] },
    { title: "Résultat", codes: ["25", "28"] },
  ];
  const query = `?${new URLSearchParams({ periode: figures.period.key })}`;
  const l16 = figures.lines.find((l) => l.code === "16")!;
  return (
    <>
      <div className="title-row">
        <h1>Déclaration de TVA (CA3)</h1>
        <div className="button-row no-print">
          <a className="button button-secondary" href={`${BASE}.csv${query}`} download>
            Exporter en CSV
          </a>
          <PrintButton />
        </div>
      </div>
      <p className="muted">
        TVA {VAT_BASIS_LABELS[figures.basis].toLowerCase()}, déclaration{" "}
        {VAT_PERIOD_LABELS[settings.vatPeriod].toLowerCase()}. Préparation des montants à reporter sur le formulaire
        3310-CA3 : rien n'est envoyé ni passé en écriture.
      </p>
      <Form method="get" className="filters ledger-filters" aria-label="Période de la déclaration">
        <div className="field">
          <label htmlFor="periode">Période</label>
          <select id="periode" name="periode" defaultValue={figures.period.key}>
            {periods.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Afficher
        </button>
      </Form>

      <div className="table-scroll">
        <table className="table ledger-table vat-table">
          <caption>
            CA3 — {figures.period.label} (du {formatDate(figures.period.from)} au {formatDate(figures.period.to)})
          </caption>
          <thead>
            <tr>
              <th scope="col">Ligne</th>
              <th scope="col">Libellé</th>
              <th scope="col" className="num">
                Base HT
              </th>
              <th scope="col" className="num">
                TVA
              </th>
              <th scope="col" className="num">
                Base à déclarer
              </th>
              <th scope="col" className="num">
                TVA à déclarer
              </th>
            </tr>
          </thead>
          {sections.map((section) => (
            <tbody key={section.title}>
              <tr className="group-head">
                <th scope="colgroup" colSpan={6}>
                  {section.title}
                </th>
              </tr>
              {shown
                .filter((l) => section.codes.includes(l.code))
                .map((l) => (
                  <LineRow key={l.code} line={l} />
                ))}
            </tbody>
          ))}
        </table>
      </div>
      <p className="muted">
        Les montants à déclarer sont arrondis à l'euro ; les totaux (16, 23, 25, 28) additionnent les lignes arrondies,
        comme sur le formulaire. Le report d'un crédit antérieur (ligne 22) et les taxes assimilées restent à saisir par
        vos soins.
      </p>
      {figures.ledgerCollected !== null && figures.ledgerCollected !== l16.tax ? (
        <p className="notice notice-error" role="status">
          La TVA collectée au grand livre (comptes 4457) sur la période s'élève à {formatCents(figures.ledgerCollected)}
          , pour {formatCents(l16.tax ?? 0)} sur les factures et avoirs : un écart de{" "}
          {formatCents(figures.ledgerCollected - (l16.tax ?? 0))} vient d'écritures saisies hors facturation.
        </p>
      ) : null}
      {figures.unmatchedReceipts.length ? (
        <div className="notice" role="status">
          <p>
            {figures.unmatchedReceipts.length} règlement(s) client de la période ne désignent aucune facture (ni par la
            pièce, ni par l'origine) : ils ne sont pas comptés.
          </p>
          <ul>
            {figures.unmatchedReceipts.map((r) => (
              <li key={r.entryId}>
                <Link to={`/gestion/comptabilite/ecritures/${r.entryId}`}>
                  {formatDate(r.date)} — {r.label} ({r.pieceRef})
                </Link>{" "}
                : {formatCents(r.amount)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <h2>Détail par ligne</h2>
      {shown
        .filter((l) => DETAILED.has(l.code))
        .map((l) => (
          <LineDetail key={l.code} line={l} figures={figures} />
        ))}

      <BasisNote basis={figures.basis} />
      {canEdit ? (
        <SettingsForm
          settings={settings}
          lastResult={lastResult && "status" in lastResult ? (lastResult as SubmissionResult<string[]>) : undefined}
          saved={Boolean(lastResult && "saved" in lastResult && lastResult.saved)}
        />
      ) : (
        <p className="muted">Seul un administrateur du pôle peut changer l'exigibilité et la périodicité.</p>
      )}
    </>
  );
}

function LineRow({ line }: { line: Line }) {
  const strong = ["16", "23", "25", "28"].includes(line.code);
  const code = DETAILED.has(line.code) ? <a href={`#ligne-${line.code}`}>{line.code}</a> : line.code;
  return (
    <tr className={strong ? "totals-row" : undefined}>
      <th scope="row">{code}</th>
      <td>
        {line.label}
        {SUMS[line.code] ? <span className="muted"> ({SUMS[line.code]})</span> : null}
      </td>
      <td className="num">{money(line.base)}</td>
      <td className="num">{money(line.tax)}</td>
      <td className="num">{euros(line.declaredBase)}</td>
      <td className="num">{euros(line.declaredTax)}</td>
    </tr>
  );
}

function LineDetail({ line, figures }: { line: Line; figures: Figures }) {
  const isDeductible = line.code === "19" || line.code === "20";
  const sales = figures.sales.filter((s) => s.line === line.code);
  const deductible = figures.deductible.filter((d) => d.line === line.code);
  const count = isDeductible ? deductible.length : sales.length;
  return (
    <details className="vat-detail" id={`ligne-${line.code}`}>
      <summary>
        Ligne {line.code} — {line.label} : {count} {isDeductible ? "écriture(s)" : "pièce(s)"}
      </summary>
      {count === 0 ? (
        <p className="muted">Rien sur cette période.</p>
      ) : isDeductible ? (
        <div className="table-scroll">
          <table className="table ledger-table">
            <caption className="visually-hidden">Écritures de la ligne {line.code}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Écriture</th>
                <th scope="col">Pièce</th>
                <th scope="col">Compte</th>
                <th scope="col" className="num">
                  TVA
                </th>
              </tr>
            </thead>
            <tbody>
              {deductible.map((d, i) => (
                <tr key={`${d.entryId}-${i}`}>
                  <td>{formatDate(d.date, "short")}</td>
                  <td>
                    <Link to={`/gestion/comptabilite/ecritures/${d.entryId}`}>{d.label}</Link>
                  </td>
                  <td>{d.pieceRef}</td>
                  <td>{d.accountCode}</td>
                  <td className="num">{formatCents(d.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="table-scroll">
          <table className="table ledger-table">
            <caption className="visually-hidden">Pièces de la ligne {line.code}</caption>
            <thead>
              <tr>
                <th scope="col">Pièce</th>
                <th scope="col">Émise le</th>
                <th scope="col">Exigible le</th>
                <th scope="col">Fait générateur</th>
                <th scope="col">Taux</th>
                <th scope="col" className="num">
                  Base HT
                </th>
                <th scope="col" className="num">
                  TVA
                </th>
              </tr>
            </thead>
            <tbody>
              {sales.map((s, i) => (
                <tr key={`${s.documentId}-${s.entryId}-${s.rateBp}-${i}`}>
                  <td>
                    <Link to={`/gestion/factures/${s.documentId}`}>{s.number}</Link>
                  </td>
                  <td>{formatDate(s.issueDate, "short")}</td>
                  <td>{formatDate(s.date, "short")}</td>
                  <td>
                    {s.entryId ? (
                      <Link to={`/gestion/comptabilite/ecritures/${s.entryId}`}>{VAT_ITEM_HOW[s.how]}</Link>
                    ) : (
                      VAT_ITEM_HOW[s.how]
                    )}
                  </td>
                  <td>{s.rateBp === 0 ? "Exonéré" : formatRate(s.rateBp)}</td>
                  <td className="num">{formatCents(s.base)}</td>
                  <td className="num">{formatCents(s.tax)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

function BasisNote({ basis }: { basis: Figures["basis"] }) {
  return (
    <section className="card vat-note" aria-labelledby="vat-basis-note">
      <h2 id="vat-basis-note">Comment ces montants sont calculés</h2>
      {basis === "DEBITS" ? (
        <p>
          Chaque facture compte à sa date d'émission, chaque avoir en déduction à la sienne, taux par taux (TVA calculée
          ligne par ligne sur les factures).
        </p>
      ) : (
        <>
          <p>
            Une prestation compte quand elle est payée. Une facture réglée à l'émission (carte, virement, chèque,
            espèces, ou avance reçue avant la facture) compte à sa date ; une facture au compte client (411) compte à la
            date de chaque règlement qui la désigne, réparti au prorata de ses taux. Un avoir annule d'abord ce qui
            restait dû (sans TVA à reverser), puis vient en déduction pour la part déjà payée ou remboursée.
          </p>
          <p>Les livraisons de biens restent exigibles à la date de la facture.</p>
        </>
      )}
      <p>
        La TVA déductible est le solde des mouvements de la période sur les comptes 4456 (44562 : immobilisations en
        ligne 19), hors à-nouveaux et écritures de liquidation de TVA.
      </p>
    </section>
  );
}

function SettingsForm({
  settings,
  lastResult,
  saved,
}: {
  settings: { vatBasis: string; vatPeriod: string };
  lastResult?: SubmissionResult<string[]>;
  saved: boolean;
}) {
  const [form, fields] = useValidatedForm(VatSettingsSchema, {
    lastResult,
    id: "vat-settings",
    defaultValue: { intent: "settings", vatBasis: settings.vatBasis, vatPeriod: settings.vatPeriod },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form card narrow" aria-labelledby="vat-settings-title">
      <h2 id="vat-settings-title">Réglages de la déclaration</h2>
      {saved ? (
        <p className="notice notice-success" role="status">
          Réglages enregistrés.
        </p>
      ) : null}
      <FormErrors id={form.errorId} errors={form.errors} />
      <input {...getInputProps(fields.intent, { type: "hidden" })} key={fields.intent.key} />
      <SelectField
        meta={fields.vatBasis}
        label="Exigibilité de la TVA"
        options={VAT_BASES.map((b) => ({ value: b, label: VAT_BASIS_LABELS[b] }))}
        hint={`${VAT_BASIS_HINTS.RECEIPTS} ${VAT_BASIS_HINTS.DEBITS}`}
      />
      <SelectField
        meta={fields.vatPeriod}
        label="Périodicité"
        options={VAT_PERIODS.map((p) => ({ value: p, label: VAT_PERIOD_LABELS[p] }))}
      />
      <SubmitButton pendingLabel="Enregistrement…">Enregistrer les réglages</SubmitButton>
    </Form>
  );
}
