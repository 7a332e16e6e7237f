import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldErrors, FormErrors, IntentForm, SelectField, SubmitButton, useValidatedForm } from "~/components/forms";
import { CSV_DATE_FORMATS, FIELD_LABELS } from "~/domain/ledger/bank/csv";
import { CsvMappingSchema, MatchSchema, toCsvMapping, UnmatchSchema } from "~/domain/ledger/bank/schemas";
import { BANK_FORMAT_LABELS } from "~/domain/ledger/bank/statement";
import {
  confirmMatch,
  describeImport,
  importStatement,
  isDemoPole,
  listMatchedBankLines,
  listStatements,
  listUnmatchedBankLines,
  listUnmatchedEntryLines,
  parisDate,
  pickableLines,
  reconciliationCounts,
  suggestMatches,
  unmatchBankLine,
  type ImportOutcome,
} from "~/domain/ledger/index.server";
import type { Failure } from "~/domain/result";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Banque — Comptabilité" }];

/** A statement file and the form around it fit the server's 1 MB body. */
const FORM_MAX_BYTES = 1024 * 1024;
/** A CSV comes back with its mapping, base64 (a third larger): it must stay under the body limit then too. */
const CSV_MAX_BYTES = 700 * 1024;
const LIST_LIMIT = 100;
const MATCHED_LIMIT = 30;

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const url = new URL(request.url);
  const [counts, statements, unmatched, matched] = await Promise.all([
    reconciliationCounts(db, pole.id),
    listStatements(db, pole.id),
    listUnmatchedBankLines(db, { poleId: pole.id, limit: LIST_LIMIT }),
    listMatchedBankLines(db, { poleId: pole.id, limit: MATCHED_LIMIT }),
  ]);
  const suggestions = await suggestMatches(db, { poleId: pole.id, bankLineIds: unmatched.lines.map((l) => l.id) });
  const books =
    counts.from && counts.to
      ? await listUnmatchedEntryLines(db, { poleId: pole.id, from: counts.from, to: counts.to, limit: LIST_LIMIT })
      : { lines: [], count: 0, total: 0 };
  const picking = url.searchParams.get("ligne");
  const pickLine = picking ? (unmatched.lines.find((l) => l.id === picking) ?? null) : null;
  const today = parisDate(new Date());
  return json({
    counts,
    statements,
    unmatched: {
      ...unmatched,
      lines: unmatched.lines.map((l) => ({ ...l, suggestions: suggestions.get(l.id) ?? [] })),
    },
    books,
    matched,
    pick: pickLine
      ? { line: pickLine, candidates: await pickableLines(db, { poleId: pole.id, bankLineId: pickLine.id }) }
      : null,
    missingLine: Boolean(picking) && !pickLine,
    // The demo statement is made up from the books: offered on the demo pole only, never where real files go.
    demoMonth: isDemoPole(pole) ? demoMonthOf(today) : null,
  });
}

/** The month the demo statement is offered for: this month so far (the seed imported the last one), or the last. */
function demoMonthOf(day: string) {
  const [y, m, d] = day.split("-").map(Number);
  if (d > 1) return day.slice(0, 7);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

type Intent = "upload" | "mapping" | "match" | "unmatch";
type Reply = {
  intent: Intent;
  status: "success" | "error";
  message?: string;
  error?: Record<string, string[]>;
  bankLineId?: string;
  mapping?: Extract<ImportOutcome, { step: "mapping" }> & { content: string };
};
const answer = (reply: Reply, status = 200) => json(reply, { status });
const refused = (intent: Intent, failure: Failure, extra: Partial<Reply> = {}) =>
  answer({ intent, status: "error", error: { [failure.field ?? ""]: [failure.message] }, ...extra }, failure.status);

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "ledger:manage");
  const form = await readForm(request, FORM_MAX_BYTES);
  const intent = form.get("intent");
  const now = new Date();

  if (intent === "upload") {
    const file = form.get("fichier");
    if (!(file instanceof File) || file.size === 0) {
      return answer(
        { intent, status: "error", error: { fichier: ["Choisissez le fichier du relevé à importer."] } },
        400,
      );
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = await importStatement(db, {
      poleId: pole.id,
      filename: file.name,
      bytes,
      importedById: person.id,
      now,
    });
    if (!result.ok) return refused(intent, result);
    if (result.value.step === "imported") {
      return answer({ intent, status: "success", message: describeImport(result.value) });
    }
    if (bytes.byteLength > CSV_MAX_BYTES) {
      return answer(
        {
          intent,
          status: "error",
          error: { fichier: ["Ce fichier CSV dépasse 700 Ko : exportez une période plus courte."] },
        },
        413,
      );
    }
    // A CSV: its columns to map; the file comes back with the mapping.
    return answer({
      intent: "mapping",
      status: "success",
      mapping: { ...result.value, content: Buffer.from(bytes).toString("base64") },
    });
  }

  if (intent === "mapping") {
    const submission = parseWithZod(form, { schema: CsvMappingSchema });
    const content = String(form.get("content") ?? "");
    const bytes = new Uint8Array(/^[A-Za-z0-9+/]+={0,2}$/.test(content) ? Buffer.from(content, "base64") : []);
    const filename = String(form.get("filename") ?? "") || "releve.csv";
    // The mapping step again (the file's columns read anew), or why the file cannot be imported any more.
    const step = await importStatement(db, { poleId: pole.id, filename, bytes, importedById: null, now });
    if (!step.ok) return refused("upload", step);
    if (step.value.step !== "mapping") {
      return answer({ intent: "upload", status: "error", error: { fichier: ["Ce fichier n'est pas un CSV."] } }, 400);
    }
    const withStep = (reply: SubmissionResult<string[]>, status: number) =>
      json({ ...reply, intent, mapping: { ...step.value, content } } as unknown as Reply, { status });
    if (submission.status !== "success") return withStep(submission.reply(), 400);
    const result = await importStatement(db, {
      poleId: pole.id,
      filename,
      bytes,
      mapping: toCsvMapping(submission.value),
      importedById: person.id,
      now,
    });
    if (!result.ok) {
      // A column named wrong is that field's error; a row that cannot be read, the form's.
      const field = result.field?.startsWith("mapping.") ? result.field.slice("mapping.".length) : null;
      return withStep(
        submission.reply(field ? { fieldErrors: { [field]: [result.message] } } : { formErrors: [result.message] }),
        result.status,
      );
    }
    if (result.value.step !== "imported") throw new Error("a mapped CSV is imported");
    return answer({ intent, status: "success", message: describeImport(result.value) });
  }

  if (intent === "match") {
    const submission = parseWithZod(form, { schema: MatchSchema });
    const bankLineId = String(form.get("bankLineId") ?? "");
    if (submission.status !== "success") {
      const messages = Object.values(submission.error ?? {}).flatMap((v) => v ?? []);
      return answer({ intent, status: "error", bankLineId, error: { "": messages } }, 400);
    }
    const result = await confirmMatch(db, {
      poleId: pole.id,
      bankLineId: submission.value.bankLineId,
      entryLineIds: submission.value.entryLineIds,
      matchedById: person.id,
      now,
    });
    if (!result.ok) return refused(intent, { ...result, field: undefined }, { bankLineId });
    return answer({
      intent,
      status: "success",
      bankLineId,
      message: `Ligne rapprochée : lettre ${result.value.letter}.`,
    });
  }

  if (intent === "unmatch") {
    const submission = parseWithZod(form, { schema: UnmatchSchema });
    if (submission.status !== "success")
      return answer({ intent, status: "error", error: { "": ["Cette ligne de relevé n'existe pas."] } }, 400);
    const result = await unmatchBankLine(db, {
      poleId: pole.id,
      bankLineId: submission.value.bankLineId,
      actorId: person.id,
      now,
    });
    if (!result.ok)
      return refused(intent, { ...result, field: undefined }, { bankLineId: submission.value.bankLineId });
    return answer({
      intent,
      status: "success",
      message: `Rapprochement ${result.value.letter} défait : la ligne est de nouveau à rapprocher.`,
    });
  }

  return httpError(400, "Action inconnue : rechargez la page et réessayez.");
}

// ─── Page ────────────────────────────────────────────────────────────────────────────────────────────────────

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

const days = (n: number) => (n === 0 ? "même jour" : n === 1 ? "1 jour d'écart" : `${n} jours d'écart`);
const short = (iso: string) => formatDate(iso, "short");

export default function BankPage() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const { counts, unmatched, books } = data;
  const mapping = reply?.mapping;
  return (
    <>
      <h1>Rapprochement bancaire</h1>
      <p className="lead">
        Importez les relevés de la banque, puis rapprochez chaque ligne des écritures du compte 512000 « Banque ». Une
        ligne rapprochée reçoit une lettre, reprise dans le FEC.
      </p>
      {reply?.status === "success" && reply.message ? (
        <p className="notice notice-success" role="status">
          {reply.message}
        </p>
      ) : null}
      {reply?.status === "error" &&
      (reply.intent === "unmatch" || (reply.intent === "match" && !lineShown(data, reply))) ? (
        <FormErrors errors={Object.values(reply.error ?? {}).flat()} />
      ) : null}
      {data.missingLine ? <p className="notice notice-error">Cette ligne de relevé n'est plus à rapprocher.</p> : null}

      <ul className="stat-grid" aria-label="État du rapprochement">
        <li className="card stat">
          <span className="stat-value">{formatNumber(unmatched.count)}</span>
          <span className="stat-label">
            ligne(s) de relevé à rapprocher{unmatched.count ? ` — ${formatCents(unmatched.total)}` : ""}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(books.count)}</span>
          <span className="stat-label">
            écriture(s) 512000 non rapprochée(s)
            {counts.from && counts.to ? ` du ${short(counts.from)} au ${short(counts.to)}` : ""}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-value">
            {formatNumber(counts.matched)} / {formatNumber(counts.lines)}
          </span>
          <span className="stat-label">lignes de relevé rapprochées</span>
        </li>
      </ul>

      {mapping ? (
        <MappingForm key={mapping.content.length} reply={reply!} />
      ) : (
        <div className="two-columns">
          <UploadForm reply={reply} />
          {data.demoMonth ? <DemoStatement month={data.demoMonth} /> : null}
        </div>
      )}

      <Statements statements={data.statements} />
      <UnmatchedBankLines data={data} reply={reply} />
      <UnmatchedBooks books={books} />
      <Matched matched={data.matched} />
    </>
  );
}

const lineShown = (data: Data, reply: Reply) => data.unmatched.lines.some((l) => l.id === reply.bankLineId);

function UploadForm({ reply }: { reply?: Reply }) {
  const navigation = useNavigation();
  const errors =
    reply?.intent === "upload" && reply.status === "error" ? Object.values(reply.error ?? {}).flat() : undefined;
  return (
    <section className="card" aria-labelledby="import">
      <h2 id="import">Importer un relevé</h2>
      <p className="muted">
        Le fichier exporté de l'espace de la banque : OFX (format « Money »), CAMT.053 (XML) ou, à défaut, CSV — dont
        vous indiquerez les colonnes. Un fichier déjà importé est refusé ; une opération déjà reçue d'un relevé
        précédent n'est pas importée deux fois.
      </p>
      <IntentForm intent="upload" encType="multipart/form-data" className="form">
        <div className="field">
          <label htmlFor="fichier">Fichier du relevé</label>
          <input
            id="fichier"
            name="fichier"
            type="file"
            accept=".ofx,.qfx,.xml,.csv,.txt"
            required
            aria-invalid={errors ? true : undefined}
            aria-describedby={errors ? "fichier-erreurs" : undefined}
          />
          <FieldErrors id="fichier-erreurs" errors={errors} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            Importer le relevé
          </button>
        </div>
      </IntentForm>
    </section>
  );
}

function MappingForm({ reply }: { reply: Reply }) {
  const mapping = reply.mapping!;
  // The reply of a mapping sent back (its values and errors); the upload that asked for it has none.
  const lastResult = "initialValue" in reply ? (reply as unknown as SubmissionResult<string[]>) : undefined;
  const [form, fields] = useValidatedForm(CsvMappingSchema, {
    id: "mapping",
    lastResult,
    defaultValue: {
      intent: "mapping",
      content: mapping.content,
      filename: mapping.filename,
      ...mapping.guess,
      dateFormat: mapping.guess.dateFormat ?? "JJ/MM/AAAA",
      amountMode: mapping.guess.amountMode ?? "single",
      decimal: mapping.guess.decimal ?? ",",
    },
  });
  const columns = [{ value: "", label: "— aucune —" }, ...mapping.columns.map((c) => ({ value: c, label: c }))];
  const column = (name: "date" | "amount" | "debit" | "credit" | "label" | "reference", hint?: string) => (
    <SelectField meta={fields[name]} label={`Colonne « ${FIELD_LABELS[name]} »`} options={columns} hint={hint} />
  );
  return (
    <section className="card bank-mapping" aria-labelledby="csv-mapping">
      <h2 id="csv-mapping">Colonnes du fichier CSV</h2>
      <p className="muted">
        « {mapping.filename} » : {formatNumber(mapping.rowCount)} ligne(s). Dites quelle colonne porte la date, le
        montant et le libellé ; la proposition vient des en-têtes du fichier.
      </p>
      <div className="table-scroll">
        <table className="table bank-preview">
          <caption>Premières lignes du fichier</caption>
          <thead>
            <tr>
              {mapping.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {mapping.preview.map((row, i) => (
              <tr key={i}>
                {mapping.columns.map((c, j) => (
                  <td key={c}>{row[j] ?? ""}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Form method="post" {...getFormProps(form)} className="form">
        <input {...getInputProps(fields.intent, { type: "hidden" })} key={fields.intent.key} />
        <input {...getInputProps(fields.content, { type: "hidden" })} key={fields.content.key} />
        <input {...getInputProps(fields.filename, { type: "hidden" })} key={fields.filename.key} />
        <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.content.errors ?? [])]} />
        <div className="bank-mapping-grid">
          {column("date")}
          <SelectField
            meta={fields.dateFormat}
            label="Format des dates"
            options={CSV_DATE_FORMATS.map((f) => ({ value: f, label: f }))}
          />
          <SelectField
            meta={fields.amountMode}
            label="Montants"
            options={[
              { value: "single", label: "Une colonne, négative pour un débit" },
              { value: "split", label: "Deux colonnes : débit et crédit" },
            ]}
          />
          <SelectField
            meta={fields.decimal}
            label="Séparateur décimal"
            options={[
              { value: ",", label: "Virgule (1 234,56)" },
              { value: ".", label: "Point (1,234.56)" },
            ]}
          />
          {column("amount", "Si les montants sont dans une colonne.")}
          {column("debit", "Si les montants sont en deux colonnes.")}
          {column("credit", "Si les montants sont en deux colonnes.")}
          {column("label")}
          {column("reference", "Facultative.")}
        </div>
        <div className="form-actions">
          <SubmitButton pendingLabel="Import…">Importer avec ces colonnes</SubmitButton>
          <Link to="/gestion/comptabilite/banque">Annuler</Link>
        </div>
      </Form>
    </section>
  );
}

function DemoStatement({ month }: { month: string }) {
  return (
    <section className="card" aria-labelledby="demo-statement">
      <h2 id="demo-statement">Relevé de démonstration</h2>
      <p className="muted">
        La banque de démonstration produit, pour un mois, le relevé CAMT.053 des mouvements du compte 512000, plus des
        frais bancaires que les comptes n'ont pas encore enregistrés. Téléchargez-le puis importez-le ci-contre.
      </p>
      <Form method="get" action="/gestion/comptabilite/banque/releve-demo" reloadDocument className="form">
        <div className="field">
          <label htmlFor="mois">Mois du relevé</label>
          <input id="mois" name="mois" type="month" defaultValue={month} required />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-secondary">
            Télécharger le relevé
          </button>
        </div>
      </Form>
    </section>
  );
}

function Statements({ statements }: { statements: Data["statements"] }) {
  return (
    <section className="bank-section" aria-labelledby="statements">
      <h2 id="statements">Relevés importés</h2>
      {statements.length === 0 ? (
        <p className="muted">Aucun relevé pour l'instant.</p>
      ) : (
        <div className="table-scroll">
          <table className="table ledger-table">
            <caption className="visually-hidden">
              Relevés importés, avec leur solde de fin et le solde du compte 512000 au même jour
            </caption>
            <thead>
              <tr>
                <th scope="col">Relevé</th>
                <th scope="col" className="num">
                  Rapprochées
                </th>
                <th scope="col" className="num">
                  Solde du relevé
                </th>
                <th scope="col" className="num">
                  Solde 512000
                </th>
                <th scope="col" className="num">
                  Écart
                </th>
              </tr>
            </thead>
            <tbody>
              {statements.map((s) => (
                <tr key={s.id}>
                  <th scope="row" className="bank-file">
                    Du {short(s.fromDate)} au {short(s.toDate)}
                    <span className="muted">
                      {s.filename} · {BANK_FORMAT_LABELS[s.format]}
                      {s.accountId ? ` · compte ${s.accountId}` : ""} · importé le {formatDate(s.importedAt, "short")}
                    </span>
                  </th>
                  <td className="num">
                    {formatNumber(s.matchedCount)} / {formatNumber(s.lineCount)}
                  </td>
                  <td className="num">{s.closingCents === null ? "—" : formatCents(s.closingCents)}</td>
                  <td className="num">{formatCents(s.booksBalance)}</td>
                  <td className="num">
                    {s.closingCents === null ? "—" : formatCents(s.closingCents - s.booksBalance)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        L'écart entre le solde du relevé et celui du compte 512000 vient des lignes pas encore rapprochées, d'un côté ou
        de l'autre.
      </p>
    </section>
  );
}

function UnmatchedBankLines({ data, reply }: { data: Data; reply?: Reply }) {
  const { unmatched, pick } = data;
  return (
    <section className="bank-section" aria-labelledby="to-match">
      <h2 id="to-match">Lignes de relevé à rapprocher</h2>
      {unmatched.lines.length === 0 ? (
        <p className="muted">Toutes les lignes des relevés sont rapprochées.</p>
      ) : (
        <>
          {unmatched.count > unmatched.lines.length ? (
            <p className="muted">
              Les {formatNumber(unmatched.lines.length)} plus anciennes sur {formatNumber(unmatched.count)}.
            </p>
          ) : null}
          <div className="table-scroll">
            <table className="table ledger-table bank-lines">
              <caption className="visually-hidden">
                Lignes de relevé sans lettre, chacune suivie des écritures du compte 512000 proposées
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Libellé de la banque</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                </tr>
              </thead>
              {unmatched.lines.map((line) => {
                const error =
                  reply?.status === "error" && reply.bankLineId === line.id
                    ? Object.values(reply.error ?? {}).flat()
                    : undefined;
                const what = `la ligne du ${short(line.date)} de ${formatCents(line.amount)}`;
                return (
                  <tbody key={line.id} id={`ligne-${line.id}`} className="bank-line">
                    <tr>
                      <td>{short(line.date)}</td>
                      <th scope="row">
                        {line.label}
                        {line.reference ? <span className="muted"> — réf. {line.reference}</span> : null}
                      </th>
                      <td className="num">{formatCents(line.amount)}</td>
                    </tr>
                    <tr className="bank-line-suggestions">
                      <td />
                      <td colSpan={2}>
                        <FormErrors errors={error} />
                        {line.suggestions.length === 0 ? (
                          <p className="muted bank-none">Aucune écriture du même montant à ±10 jours.</p>
                        ) : (
                          <ul className="plain-list bank-suggestions" aria-label={`Écritures proposées pour ${what}`}>
                            {line.suggestions.map((s) => (
                              <li key={s.lines.map((l) => l.entryLineId).join("-")}>
                                <IntentForm intent="match" values={{ bankLineId: line.id }} className="bank-suggestion">
                                  {s.lines.map((l) => (
                                    <input
                                      key={l.entryLineId}
                                      type="hidden"
                                      name="entryLineIds"
                                      value={l.entryLineId}
                                    />
                                  ))}
                                  <span>
                                    {s.lines.length > 1 ? `${s.lines.length} écritures : ` : ""}
                                    {s.lines.map((l, i) => (
                                      <span key={l.entryLineId}>
                                        {i > 0 ? " + " : ""}
                                        <Link to={`/gestion/comptabilite/ecritures/${l.entryId}`}>
                                          {l.pieceRef}
                                        </Link> du {short(l.date)}, {l.label}
                                        {s.lines.length > 1 ? ` (${formatCents(l.amount)})` : ""}
                                      </span>
                                    ))}
                                    <span className="muted"> — {days(s.distance)}</span>
                                  </span>
                                  <SubmitButton className="button button-small">
                                    Rapprocher
                                    <span className="visually-hidden">
                                      {" "}
                                      {what} de {s.lines.map((l) => l.pieceRef).join(" et ")}
                                    </span>
                                  </SubmitButton>
                                </IntentForm>
                              </li>
                            ))}
                          </ul>
                        )}
                        {pick?.line.id === line.id ? (
                          <PickForm line={line} candidates={pick.candidates} />
                        ) : (
                          <Link
                            to={`/gestion/comptabilite/banque?ligne=${line.id}#ligne-${line.id}`}
                            preventScrollReset
                            className="bank-pick-link"
                          >
                            Choisir les écritures
                            <span className="visually-hidden"> de {what}</span>
                          </Link>
                        )}
                      </td>
                    </tr>
                  </tbody>
                );
              })}
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function PickForm({
  line,
  candidates,
}: {
  line: Data["unmatched"]["lines"][number];
  candidates: NonNullable<Data["pick"]>["candidates"];
}) {
  return (
    <IntentForm intent="match" values={{ bankLineId: line.id }} className="bank-pick">
      <fieldset>
        <legend>Cochez les écritures dont le total fait {formatCents(line.amount)}</legend>
        <p className="muted">Écritures du compte 512000 non rapprochées, de même sens, à ±31 jours.</p>
        {candidates.length === 0 ? (
          <p>
            Aucune. Si la banque a passé une opération que les comptes n'ont pas (des frais, par exemple),{" "}
            <Link to="/gestion/comptabilite/ecritures/nouvelle">enregistrez l'écriture</Link> puis rapprochez-la.
          </p>
        ) : (
          candidates.map((c) => (
            <div className="field-checkbox" key={c.entryLineId}>
              <input type="checkbox" id={`pick-${c.entryLineId}`} name="entryLineIds" value={c.entryLineId} />
              <label htmlFor={`pick-${c.entryLineId}`}>
                {short(c.date)} — {c.pieceRef}, {c.label} — {formatCents(c.amount)}
              </label>
            </div>
          ))
        )}
      </fieldset>
      <div className="form-actions">
        {candidates.length ? (
          <SubmitButton className="button button-small">Rapprocher la sélection</SubmitButton>
        ) : null}
        <Link to="/gestion/comptabilite/banque" preventScrollReset>
          Fermer
        </Link>
      </div>
    </IntentForm>
  );
}

function UnmatchedBooks({ books }: { books: Data["books"] }) {
  return (
    <section className="bank-section" aria-labelledby="books">
      <h2 id="books">Écritures du compte 512000 non rapprochées</h2>
      <p className="muted">Sur la période couverte par les relevés importés.</p>
      {books.lines.length === 0 ? (
        <p className="muted">Aucune.</p>
      ) : (
        <div className="table-scroll">
          <table className="table ledger-table">
            <caption className="visually-hidden">Écritures du compte 512000 qu'aucune ligne de relevé ne porte</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Pièce</th>
                <th scope="col">Libellé</th>
                <th scope="col" className="num">
                  Montant
                </th>
              </tr>
            </thead>
            <tbody>
              {books.lines.map((l) => (
                <tr key={l.id}>
                  <td>{short(l.date)}</td>
                  <td>
                    <Link to={`/gestion/comptabilite/ecritures/${l.entryId}`}>{l.pieceRef}</Link>
                  </td>
                  <th scope="row">
                    {l.label}
                    {l.reversed ? <span className="badge badge-reversed">contrepassée</span> : null}
                  </th>
                  <td className="num">{formatCents(l.amount)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {formatNumber(books.count)} écriture(s)
                </th>
                <td className="num">{formatCents(books.total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

function Matched({ matched }: { matched: Data["matched"] }) {
  return (
    <section className="bank-section" aria-labelledby="matched">
      <h2 id="matched">Derniers rapprochements</h2>
      {matched.length === 0 ? (
        <p className="muted">Aucun rapprochement pour l'instant.</p>
      ) : (
        <div className="table-scroll">
          <table className="table ledger-table">
            <caption className="visually-hidden">Lignes de relevé rapprochées, la plus récente d'abord</caption>
            <thead>
              <tr>
                <th scope="col">Lettre</th>
                <th scope="col">Ligne du relevé</th>
                <th scope="col" className="num">
                  Montant
                </th>
                <th scope="col">Écritures</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {matched.map((m) => (
                <tr key={m.id}>
                  <td>
                    <span className="badge badge-letter">{m.letter}</span>
                  </td>
                  <th scope="row">
                    {short(m.date)} — {m.label}
                  </th>
                  <td className="num">{formatCents(m.amount)}</td>
                  <td>
                    {m.entryLines.map((e, i) => (
                      <span key={e.id}>
                        {i > 0 ? ", " : ""}
                        <Link to={`/gestion/comptabilite/ecritures/${e.entryId}`}>{e.pieceRef}</Link> du {short(e.date)}
                      </span>
                    ))}
                  </td>
                  <td>
                    {m.canUnmatch ? (
                      <IntentForm intent="unmatch" values={{ bankLineId: m.id }}>
                        <button type="submit" className="link-button">
                          Défaire<span className="visually-hidden"> le rapprochement {m.letter}</span>
                        </button>
                      </IntentForm>
                    ) : (
                      <span className="muted">Exercice clôturé</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
