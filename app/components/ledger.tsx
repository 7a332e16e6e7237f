import type { ReactNode } from "react";
import { formatCents } from "~/utils/format";

// Small pieces shared by the accounting screens.

export const ACCOUNT_CLASSES: Record<string, string> = {
  "1": "Classe 1 — Capitaux",
  "2": "Classe 2 — Immobilisations",
  "3": "Classe 3 — Stocks et en-cours",
  "4": "Classe 4 — Tiers",
  "5": "Classe 5 — Financiers",
  "6": "Classe 6 — Charges",
  "7": "Classe 7 — Produits",
  "8": "Classe 8 — Comptes spéciaux",
};

/** Accounts grouped by PCG class (first digit), in code order. */
export function groupByClass<A extends { code: string }>(accounts: readonly A[]) {
  const groups = new Map<string, A[]>();
  for (const a of [...accounts].sort((x, y) => x.code.localeCompare(y.code))) {
    const key = a.code.slice(0, 1);
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups].map(([key, items]) => ({ key, label: ACCOUNT_CLASSES[key] ?? `Classe ${key}`, accounts: items }));
}

/** A money cell: right-aligned tabular figures, empty for zero when `blankZero`. */
export function Money({ cents, blankZero = false }: { cents: number; blankZero?: boolean }) {
  return <td className="num">{blankZero && cents === 0 ? "" : formatCents(cents)}</td>;
}

/** A balance shown as "1 234,00 € D" / "C", the way French ledgers print a debit or credit balance. */
export function formatBalance(cents: number) {
  if (cents === 0) return formatCents(0);
  return `${formatCents(Math.abs(cents))} ${cents > 0 ? "D" : "C"}`;
}

export function PrintButton({ children = "Imprimer" }: { children?: ReactNode }) {
  return (
    <button type="button" className="button button-secondary button-small" onClick={() => window.print()}>
      {children}
    </button>
  );
}
