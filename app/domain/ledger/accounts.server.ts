import type { Stream } from "~/generated/prisma/enums";
import type { Client } from "~/utils/db.server";
import { fail, ok } from "../result";
import { DEFAULT_CHART } from "./chart";

/** Gives a pole the default chart of accounts; safe to run again (existing codes are left as they are). */
export async function installChartOfAccounts(tx: Client, poleId: string) {
  await tx.account.createMany({ data: DEFAULT_CHART.map((a) => ({ poleId, ...a })), skipDuplicates: true });
}

export function listAccounts(tx: Client, poleId: string) {
  return tx.account.findMany({ where: { poleId }, orderBy: { code: "asc" } });
}

/** The significant root of a PCG code: "740000" → "74", "706100" → "7061". */
export const accountRoot = (code: string) => code.replace(/0+$/, "") || code.slice(0, 1);

/** Adds a sub-account under an existing account, e.g. 740100 "Subvention Région Occitanie" under 740000. */
export async function createSubAccount(
  tx: Client,
  input: { poleId: string; parentCode: string; code: string; label: string; stream?: Stream | null },
) {
  const parent = await tx.account.findUnique({
    where: { poleId_code: { poleId: input.poleId, code: input.parentCode } },
  });
  if (!parent)
    return fail("UNKNOWN_PARENT", "Choisissez un compte parent du plan comptable.", {
      field: "parentCode",
      status: 400,
    });
  const root = accountRoot(parent.code);
  if (!input.code.startsWith(root) || input.code === parent.code) {
    return fail(
      "NOT_UNDER_PARENT",
      `Le numéro d'un sous-compte de ${parent.code} commence par ${root} et en diffère.`,
      { field: "code", status: 400 },
    );
  }
  const [created] = await tx.account.createManyAndReturn({
    data: [
      {
        poleId: input.poleId,
        code: input.code,
        label: input.label.trim(),
        stream: input.stream === undefined ? parent.stream : input.stream,
      },
    ],
    skipDuplicates: true,
  });
  if (!created) return fail("TAKEN", `Le compte ${input.code} existe déjà.`, { field: "code", status: 409 });
  return ok(created);
}
