import { chainStart } from "./fiscal-years.server";
import type { Client } from "~/utils/db.server";
import { fromSqlDate, toSqlDate, type IsoDate } from "./dates";
import { thirdPartyBalances, trialBalance, type TrialBalanceRow } from "./queries.server";

// The two annual statements in the PCG's simplified layout (modèle abrégé): the compte de résultat and the bilan,
// read from the trial balance and nothing else (decision 024). The result of a year is classes 7 − 6 of that year;
// the balance accounts (classes 1–5) are summed from the start of the chain of books the year belongs to — the
// latest year, up to this one, that opens with à-nouveaux (journal AN) — so a closed year's balances are counted
// once, in its successor's opening entry. Results of earlier years that no closing has carried forward yet (or
// that the members have not allocated: 120/129 still open) stand on a line of their own, so the bilan balances
// whatever the state of the closings.

export type StatementAccount = { code: string; label: string; amount: number };

/** A statement row. Amounts are cents as the statement shows them (charges and products both positive). */
export type StatementRow = {
  kind: "heading" | "line" | "subtotal" | "total" | "result";
  key: string;
  label: string;
  /** This year, and the previous one when it exists (null otherwise). */
  n: number;
  prev: number | null;
  /** Assets only: gross amount and depreciation of this year (n = gross − depreciation). */
  gross?: number;
  depreciation?: number;
  /** The accounts behind a line this year, with their part of it (depreciation accounts negative). */
  accounts?: StatementAccount[];
};

export type FinancialStatements = {
  year: YearInfo;
  previous: YearInfo | null;
  /** Compte de résultat. */
  income: StatementRow[];
  /** Bilan actif and passif. */
  assets: StatementRow[];
  liabilities: StatementRow[];
  result: { n: number; prev: number | null };
  totals: { assets: number; liabilities: number; prevAssets: number | null; prevLiabilities: number | null };
  /** The first day the balance accounts are summed from (the chain's opening), or null: from the first entry. */
  balancesFrom: IsoDate | null;
};

export type YearInfo = { id: string; startDate: IsoDate; endDate: IsoDate; closed: boolean };

// ---------------------------------------------------------------------------------------------------------------
// Where each account goes. Codes are read by prefix, the longest one first.

type IncomeKey =
  | "salesGoods"
  | "productionGoods"
  | "productionServices"
  | "storedProduction"
  | "operatingGrants"
  | "reversals"
  | "otherIncome"
  | "financialIncome"
  | "exceptionalIncome";
type ChargeKey =
  | "purchasesGoods"
  | "stockChangeGoods"
  | "purchasesMaterials"
  | "stockChangeMaterials"
  | "external"
  | "taxes"
  | "wages"
  | "social"
  | "depreciation"
  | "otherCharges"
  | "financialCharges"
  | "exceptionalCharges"
  | "participation"
  | "incomeTax";
type AssetKey =
  | "intangible"
  | "tangible"
  | "financialAssets"
  | "stocks"
  | "clients"
  | "otherReceivables"
  | "securities"
  | "cash"
  | "prepaid";
type LiabilityKey =
  | "capital"
  | "legalReserve"
  | "otherReserves"
  | "retained"
  | "result"
  | "pendingResults"
  | "investmentGrants"
  | "regulatedProvisions"
  | "provisions"
  | "borrowings"
  | "suppliers"
  | "taxSocial"
  | "otherDebts"
  | "deferredIncome";

const byPrefix = <K extends string>(table: [string, K][], fallback: K) => {
  const sorted = [...table].sort((a, b) => b[0].length - a[0].length);
  return (code: string) => sorted.find(([p]) => code.startsWith(p))?.[1] ?? fallback;
};

const incomeOf = byPrefix<IncomeKey>(
  [
    ["707", "salesGoods"],
    ["7097", "salesGoods"],
    ["701", "productionGoods"],
    ["702", "productionGoods"],
    ["703", "productionGoods"],
    ["7091", "productionGoods"],
    ["7092", "productionGoods"],
    ["7093", "productionGoods"],
    ["70", "productionServices"],
    ["71", "storedProduction"],
    ["72", "storedProduction"],
    ["74", "operatingGrants"],
    ["781", "reversals"],
    ["791", "reversals"],
    ["75", "otherIncome"],
    ["76", "financialIncome"],
    ["786", "financialIncome"],
    ["796", "financialIncome"],
    ["77", "exceptionalIncome"],
    ["787", "exceptionalIncome"],
    ["797", "exceptionalIncome"],
    ["78", "reversals"],
    ["79", "reversals"],
  ],
  "otherIncome",
);

const chargeOf = byPrefix<ChargeKey>(
  [
    ["607", "purchasesGoods"],
    ["6087", "purchasesGoods"],
    ["6097", "purchasesGoods"],
    ["6037", "stockChangeGoods"],
    ["601", "purchasesMaterials"],
    ["602", "purchasesMaterials"],
    ["6081", "purchasesMaterials"],
    ["6082", "purchasesMaterials"],
    ["6091", "purchasesMaterials"],
    ["6092", "purchasesMaterials"],
    ["603", "stockChangeMaterials"],
    ["60", "external"],
    ["61", "external"],
    ["62", "external"],
    ["63", "taxes"],
    ["641", "wages"],
    ["642", "wages"],
    ["643", "wages"],
    ["644", "wages"],
    ["64", "social"],
    ["65", "otherCharges"],
    ["66", "financialCharges"],
    ["686", "financialCharges"],
    ["67", "exceptionalCharges"],
    ["687", "exceptionalCharges"],
    ["68", "depreciation"],
    ["691", "participation"],
    ["69", "incomeTax"],
  ],
  "otherCharges",
);

type Placement = { side: "assets"; key: AssetKey; depreciation: boolean } | { side: "liabilities"; key: LiabilityKey };

const asset = (key: AssetKey, depreciation = false): Placement => ({ side: "assets", key, depreciation });
const liability = (key: LiabilityKey): Placement => ({ side: "liabilities", key });

/** Where a balance account (classes 1–5) goes, given its balance (debit − credit, non-zero). */
export function placeBalance(code: string, balance: number): Placement {
  const debit = balance > 0;
  const is = (...prefixes: string[]) => prefixes.some((p) => code.startsWith(p));
  switch (code[0]) {
    case "1":
      if (is("1061")) return liability("legalReserve");
      if (is("106", "107")) return liability("otherReserves");
      if (is("11")) return liability("retained");
      if (is("12")) return liability("pendingResults");
      if (is("13")) return liability("investmentGrants");
      if (is("14")) return liability("regulatedProvisions");
      if (is("15")) return liability("provisions");
      if (is("16", "17", "18")) return liability("borrowings");
      return liability("capital");
    case "2":
      if (is("280", "290")) return asset("intangible", true);
      if (is("296", "297")) return asset("financialAssets", true);
      if (is("28", "29")) return asset("tangible", true);
      if (is("20")) return asset("intangible");
      if (is("25", "26", "27")) return asset("financialAssets");
      return asset("tangible");
    case "3":
      return asset("stocks", is("39"));
    case "4":
      if (is("491")) return asset("clients", true);
      if (is("49")) return asset("otherReceivables", true);
      if (is("486") && debit) return asset("prepaid");
      if (is("487") && !debit) return liability("deferredIncome");
      if (debit) return asset(is("41") && !is("419") ? "clients" : "otherReceivables");
      if (is("40")) return liability("suppliers");
      if (is("42", "43", "44")) return liability("taxSocial");
      return liability("otherDebts");
    case "5":
      if (is("59")) return asset("securities", true);
      if (is("50")) return asset("securities");
      // A bank account in overdraft is a debt to the bank (concours bancaires courants).
      return debit ? asset("cash") : liability("borrowings");
    default:
      // Classes 8–9 have no line of their own: kept on the bilan by side, so it still balances.
      return debit ? asset("otherReceivables") : liability("otherDebts");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Layouts: the rows in print order. A section is a heading, its lines and, when named, their subtotal; the
// computed rows add (and subtract) the lines or rows they name.

type Computed = { kind: "subtotal" | "total" | "result"; key: string; label: string; plus: string[]; minus?: string[] };
type Section<K extends string> = { heading?: string; lines: [K, string][]; subtotal?: [string, string] };
type Layout<K extends string> = (
  { kind: "heading"; label: string } | { kind: "line"; key: K; label: string } | Computed
)[];

const computed = (kind: Computed["kind"], key: string, label: string, plus: string[], minus?: string[]): Computed => ({
  kind,
  key,
  label,
  plus,
  minus,
});

function layout<K extends string>(...items: (Section<K> | Computed)[]): Layout<K> {
  return items.flatMap((item) => {
    if ("kind" in item) return [item];
    return [
      ...(item.heading ? [{ kind: "heading" as const, label: item.heading }] : []),
      ...item.lines.map(([key, label]) => ({ kind: "line" as const, key, label })),
      ...(item.subtotal
        ? [
            computed(
              "subtotal",
              item.subtotal[0],
              item.subtotal[1],
              item.lines.map(([key]) => key),
            ),
          ]
        : []),
    ];
  });
}

const INCOME_LAYOUT = layout<IncomeKey | ChargeKey>(
  {
    heading: "Produits d'exploitation",
    lines: [
      ["salesGoods", "Ventes de marchandises"],
      ["productionGoods", "Production vendue — biens"],
      ["productionServices", "Production vendue — services"],
      ["storedProduction", "Production stockée et immobilisée"],
      ["operatingGrants", "Subventions d'exploitation"],
      ["reversals", "Reprises sur amortissements, dépréciations et provisions, transferts de charges"],
      ["otherIncome", "Autres produits"],
    ],
    subtotal: ["operatingIncome", "Total des produits d'exploitation"],
  },
  {
    heading: "Charges d'exploitation",
    lines: [
      ["purchasesGoods", "Achats de marchandises"],
      ["stockChangeGoods", "Variation de stock (marchandises)"],
      ["purchasesMaterials", "Achats de matières premières et autres approvisionnements"],
      ["stockChangeMaterials", "Variation de stock (matières premières et approvisionnements)"],
      ["external", "Autres achats et charges externes"],
      ["taxes", "Impôts, taxes et versements assimilés"],
      ["wages", "Salaires et traitements"],
      ["social", "Charges sociales"],
      ["depreciation", "Dotations aux amortissements, dépréciations et provisions"],
      ["otherCharges", "Autres charges"],
    ],
    subtotal: ["operatingCharges", "Total des charges d'exploitation"],
  },
  computed("result", "operatingResult", "Résultat d'exploitation", ["operatingIncome"], ["operatingCharges"]),
  {
    heading: "Opérations financières",
    lines: [
      ["financialIncome", "Produits financiers"],
      ["financialCharges", "Charges financières"],
    ],
  },
  computed("result", "financialResult", "Résultat financier", ["financialIncome"], ["financialCharges"]),
  computed("result", "currentResult", "Résultat courant avant impôts", ["operatingResult", "financialResult"]),
  {
    heading: "Opérations exceptionnelles",
    lines: [
      ["exceptionalIncome", "Produits exceptionnels"],
      ["exceptionalCharges", "Charges exceptionnelles"],
    ],
  },
  computed("result", "exceptionalResult", "Résultat exceptionnel", ["exceptionalIncome"], ["exceptionalCharges"]),
  {
    lines: [
      ["participation", "Participation des salariés aux résultats"],
      ["incomeTax", "Impôts sur les bénéfices"],
    ],
  },
  computed("total", "totalIncome", "Total des produits", ["operatingIncome", "financialIncome", "exceptionalIncome"]),
  computed("total", "totalCharges", "Total des charges", [
    "operatingCharges",
    "financialCharges",
    "exceptionalCharges",
    "participation",
    "incomeTax",
  ]),
  computed("result", "netResult", "Résultat de l'exercice (bénéfice ou perte)", ["totalIncome"], ["totalCharges"]),
);

const ASSETS_LAYOUT = layout<AssetKey>(
  {
    heading: "Actif immobilisé",
    lines: [
      ["intangible", "Immobilisations incorporelles"],
      ["tangible", "Immobilisations corporelles"],
      ["financialAssets", "Immobilisations financières"],
    ],
    subtotal: ["fixedAssets", "Total de l'actif immobilisé"],
  },
  {
    heading: "Actif circulant",
    lines: [
      ["stocks", "Stocks et en-cours"],
      ["clients", "Créances clients et comptes rattachés"],
      ["otherReceivables", "Autres créances"],
      ["securities", "Valeurs mobilières de placement"],
      ["cash", "Disponibilités"],
      ["prepaid", "Charges constatées d'avance"],
    ],
    subtotal: ["currentAssets", "Total de l'actif circulant"],
  },
  computed("total", "totalAssets", "Total de l'actif", ["fixedAssets", "currentAssets"]),
);

const LIABILITIES_LAYOUT = layout<LiabilityKey>(
  {
    heading: "Capitaux propres",
    lines: [
      ["capital", "Capital social"],
      ["legalReserve", "Réserve légale"],
      ["otherReserves", "Autres réserves (dont réserves impartageables)"],
      ["retained", "Report à nouveau"],
      ["result", "Résultat de l'exercice"],
      ["pendingResults", "Résultats antérieurs en attente d'affectation"],
      ["investmentGrants", "Subventions d'investissement"],
      ["regulatedProvisions", "Provisions réglementées"],
    ],
    subtotal: ["equity", "Total des capitaux propres"],
  },
  { lines: [["provisions", "Provisions pour risques et charges"]] },
  {
    heading: "Dettes",
    lines: [
      ["borrowings", "Emprunts et dettes financières (dont concours bancaires courants)"],
      ["suppliers", "Dettes fournisseurs et comptes rattachés"],
      ["taxSocial", "Dettes fiscales et sociales"],
      ["otherDebts", "Autres dettes (dont avances et acomptes reçus)"],
      ["deferredIncome", "Produits constatés d'avance"],
    ],
    subtotal: ["debts", "Total des dettes"],
  },
  computed("total", "totalLiabilities", "Total du passif", ["equity", "provisions", "debts"]),
);

// ---------------------------------------------------------------------------------------------------------------
// Figures of one year

type Bucket = { amount: number; accounts: StatementAccount[] };
type Buckets = Map<string, Bucket>;

const add = (buckets: Buckets, key: string, account: { code: string; label: string }, amount: number) => {
  if (amount === 0) return;
  const bucket = buckets.get(key) ?? { amount: 0, accounts: [] };
  bucket.amount += amount;
  bucket.accounts.push({ code: account.code, label: account.label, amount });
  buckets.set(key, bucket);
};

type YearFigures = {
  income: Buckets;
  /** Assets: gross under the key, depreciation under `key:dep`. */
  assets: Buckets;
  liabilities: Buckets;
  result: number;
};

const net = (r: TrialBalanceRow) => r.debit - r.credit;
const sumOf = (amounts: number[]) => amounts.reduce((s, a) => s + a, 0);
const isIncomeAccount = (code: string) => code[0] === "6" || code[0] === "7";

const EARLIEST = "1900-01-01" as IsoDate;

async function yearFigures(tx: Client, poleId: string, year: YearInfo) {
  const from = await chainStart(tx, poleId, year.startDate);
  const [cumulative, ofYear] = await Promise.all([
    trialBalance(tx, { poleId, from: from ?? EARLIEST, to: year.endDate }),
    trialBalance(tx, { poleId, from: year.startDate, to: year.endDate }),
  ]);
  const byThirdParty = await thirdPartyBalances(tx, {
    poleId,
    accountIds: cumulative.rows.filter((r) => /^4[01]/.test(r.code)).map((r) => r.accountId),
    from: from ?? EARLIEST,
    to: year.endDate,
  });
  const figures: YearFigures = { income: new Map(), assets: new Map(), liabilities: new Map(), result: 0 };
  for (const r of ofYear.rows) {
    if (r.code[0] === "6") add(figures.income, chargeOf(r.code), r, net(r));
    else if (r.code[0] === "7") add(figures.income, incomeOf(r.code), r, -net(r));
  }
  figures.result = -ofYear.rows.filter((r) => isIncomeAccount(r.code)).reduce((s, r) => s + net(r), 0);

  // Results of the chain's earlier years that no AN carried: classes 6–7 before this year.
  const yearNet = new Map(ofYear.rows.map((r) => [r.accountId, net(r)]));
  let earlier = 0;
  for (const r of cumulative.rows) {
    const balance = net(r);
    if (isIncomeAccount(r.code)) {
      earlier -= balance - (yearNet.get(r.accountId) ?? 0);
      continue;
    }
    // A third-party account is placed customer by customer (supplier by supplier): its debit balances and its
    // credit balances each on their side, never netted.
    const parts = byThirdParty.get(r.accountId);
    const sides = (
      parts
        ? [
            { amount: sumOf(parts.filter((b) => b > 0)), label: `${r.label} — soldes débiteurs` },
            { amount: sumOf(parts.filter((b) => b < 0)), label: `${r.label} — soldes créditeurs` },
          ]
        : [{ amount: balance, label: r.label }]
    ).filter((side) => side.amount !== 0);
    const mixed = sides.length > 1;
    for (const side of sides) {
      const account = { code: r.code, label: mixed ? side.label : r.label };
      const place = placeBalance(r.code, side.amount);
      if (place.side === "assets") {
        if (place.depreciation) add(figures.assets, `${place.key}:dep`, account, -side.amount);
        else add(figures.assets, place.key, account, side.amount);
      } else {
        add(figures.liabilities, place.key, account, -side.amount);
      }
    }
  }
  add(figures.liabilities, "result", { code: "6/7", label: "Produits − charges de l'exercice" }, figures.result);
  add(
    figures.liabilities,
    "pendingResults",
    { code: "6/7", label: "Produits − charges des exercices antérieurs non reportés" },
    earlier,
  );
  return { figures, from };
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

function buildRows<K extends string>(
  layout: Layout<K>,
  current: (key: string) => Bucket | undefined,
  previous: ((key: string) => Bucket | undefined) | null,
  /** Assets: each line nets its depreciation (the bucket `key:dep`). */
  withDepreciation = false,
): StatementRow[] {
  const valueN = new Map<string, number>();
  const valueP = new Map<string, number>();
  const grossN = new Map<string, number>();
  const depN = new Map<string, number>();
  const rows: StatementRow[] = [];
  for (const item of layout) {
    if (item.kind === "heading") {
      rows.push({ kind: "heading", key: `h:${item.label}`, label: item.label, n: 0, prev: null });
      continue;
    }
    if (item.kind === "line") {
      const b = current(item.key);
      const p = previous ? (previous(item.key)?.amount ?? 0) : null;
      let n = b?.amount ?? 0;
      let prev = p;
      const row: StatementRow = {
        kind: "line",
        key: item.key,
        label: item.label,
        n,
        prev,
        accounts: b?.accounts ?? [],
      };
      if (withDepreciation) {
        const dep = current(`${item.key}:dep`);
        row.gross = n;
        row.depreciation = dep?.amount ?? 0;
        n = row.gross - row.depreciation;
        row.n = n;
        row.accounts = [...row.accounts!, ...(dep?.accounts ?? []).map((a) => ({ ...a, amount: -a.amount }))];
        if (previous) prev = (p ?? 0) - (previous(`${item.key}:dep`)?.amount ?? 0);
        row.prev = prev;
        grossN.set(item.key, row.gross);
        depN.set(item.key, row.depreciation);
      }
      valueN.set(item.key, n);
      if (prev !== null) valueP.set(item.key, prev);
      rows.push(row);
      continue;
    }
    const total = (values: Map<string, number>) =>
      item.plus.reduce((s, k) => s + (values.get(k) ?? 0), 0) -
      (item.minus ?? []).reduce((s, k) => s + (values.get(k) ?? 0), 0);
    const n = total(valueN);
    const prev = previous ? total(valueP) : null;
    valueN.set(item.key, n);
    if (prev !== null) valueP.set(item.key, prev);
    const row: StatementRow = { kind: item.kind, key: item.key, label: item.label, n, prev };
    if (withDepreciation) {
      row.gross = total(grossN);
      row.depreciation = total(depN);
      grossN.set(item.key, row.gross);
      depN.set(item.key, row.depreciation);
    }
    rows.push(row);
  }
  return rows;
}

const yearInfo = (y: { id: string; startDate: Date; endDate: Date; closedAt: Date | null }): YearInfo => ({
  id: y.id,
  startDate: fromSqlDate(y.startDate),
  endDate: fromSqlDate(y.endDate),
  closed: y.closedAt !== null,
});

/** The fiscal year a statements page shows by default: the one holding `today`, else the latest one. */
export async function defaultStatementsYear(tx: Client, poleId: string, today: IsoDate) {
  const day = toSqlDate(today);
  return (
    (await tx.fiscalYear.findFirst({ where: { poleId, startDate: { lte: day }, endDate: { gte: day } } })) ??
    (await tx.fiscalYear.findFirst({ where: { poleId }, orderBy: { startDate: "desc" } }))
  );
}

/**
 * The compte de résultat and the bilan of a fiscal year, with the previous year beside them (the fiscal year that
 * ends before this one starts, when there is one). Null when the pole has no such year.
 */
export async function financialStatements(
  tx: Client,
  input: { poleId: string; fiscalYearId: string },
): Promise<FinancialStatements | null> {
  const row = await tx.fiscalYear.findFirst({ where: { id: input.fiscalYearId, poleId: input.poleId } });
  if (!row) return null;
  const prevRow = await tx.fiscalYear.findFirst({
    where: { poleId: input.poleId, endDate: { lt: row.startDate } },
    orderBy: { endDate: "desc" },
  });
  const year = yearInfo(row);
  const previous = prevRow ? yearInfo(prevRow) : null;
  const [now, before] = await Promise.all([
    yearFigures(tx, input.poleId, year),
    previous ? yearFigures(tx, input.poleId, previous) : null,
  ]);
  const get = (buckets: Buckets) => (key: string) => buckets.get(key);
  const income = buildRows(INCOME_LAYOUT, get(now.figures.income), before ? get(before.figures.income) : null);
  const assets = buildRows(ASSETS_LAYOUT, get(now.figures.assets), before ? get(before.figures.assets) : null, true);
  const liabilities = buildRows(
    LIABILITIES_LAYOUT,
    get(now.figures.liabilities),
    before ? get(before.figures.liabilities) : null,
  );
  const totalOf = (rows: StatementRow[], key: string) => rows.find((r) => r.key === key)!;
  const totalAssets = totalOf(assets, "totalAssets");
  const totalLiabilities = totalOf(liabilities, "totalLiabilities");
  return {
    year,
    previous,
    income,
    assets,
    liabilities,
    result: { n: now.figures.result, prev: before ? before.figures.result : null },
    totals: {
      assets: totalAssets.n,
      liabilities: totalLiabilities.n,
      prevAssets: totalAssets.prev,
      prevLiabilities: totalLiabilities.prev,
    },
    balancesFrom: now.from,
  };
}
