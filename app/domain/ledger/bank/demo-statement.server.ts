import type { Client } from "~/utils/db.server";
import { fail, ok, type Result } from "../../result";
import { isIsoDate, isoDate, type IsoDate } from "../dates";
import { bankAccountId } from "./match.server";
import { booksBankBalance } from "./queries.server";
import { foldText } from "./statement";

// The demo bank's statement: a CAMT.053 file built from the pole's own bank lines of a month, as its bank would
// send it, plus one fee the books do not hold yet (left to staff to record). It lets the demo show an import and a
// reconciliation with files a real bank did not write. The same month gives the same bytes, so importing it twice
// is refused as the same file, and a later month's file skips the lines an earlier one brought.

/** The demo pole is the one install where a made-up statement may be offered. */
export const DEMO_POLE_SLUG = "vallee-fertile";
export const isDemoPole = (pole: { slug: string }) => pole.slug === DEMO_POLE_SLUG;

/** A made-up account of the demo bank (the IBAN of the ISO 13616 examples). */
export const DEMO_IBAN = "FR7630006000011234567890189";
/** The fee the demo bank charges at the end of the month, which the books do not hold. */
export const DEMO_FEE = { cents: 800, label: "COMMISSION D'INTERVENTION" } as const;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

const xml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Cents as the amount of a CAMT element: always positive, two decimals, a point. */
const camtAmount = (cents: number) =>
  `${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, "0")}`;

/** A label as banks print it: capitals, no accents, plain ASCII. */
const bankLabel = (text: string) =>
  foldText(text)
    .replace(/[—–]/g, "-")
    .replace(/[^\x20-\x7e]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 140);

function lastDayOfMonth(month: string): IsoDate {
  const [y, m] = month.split("-").map(Number);
  return isoDate(new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10));
}

function dayBefore(day: IsoDate): IsoDate {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return isoDate(d.toISOString().slice(0, 10));
}

export type DemoStatement = { filename: string; body: string; lines: number; fromDate: IsoDate; toDate: IsoDate };

/**
 * The CAMT.053 statement of `month` ("2026-11") up to the day before `today`: one entry per line of 512000 (money
 * in CRDT, out DBIT, booked on the line's day, named by the line), the fee on the last day, and the balances from
 * the books. Refused for a month not begun.
 */
export async function demoBankStatement(
  client: Client,
  input: { poleId: string; month: string; today: IsoDate },
): Promise<Result<DemoStatement>> {
  if (!MONTH.test(input.month)) {
    return fail("INVALID", "Choisissez un mois (AAAA-MM).", { field: "mois", status: 400 });
  }
  const fromDate = isoDate(`${input.month}-01`);
  const monthEnd = lastDayOfMonth(input.month);
  const yesterday = dayBefore(input.today);
  const toDate = monthEnd < yesterday ? monthEnd : yesterday;
  if (!isIsoDate(toDate) || toDate < fromDate) {
    return fail("NOT_YET", "Ce mois n'est pas encore commencé : choisissez un mois passé.", {
      field: "mois",
      status: 422,
    });
  }
  const accountId = await bankAccountId(client, input.poleId);
  if (!accountId)
    return fail("NO_BANK_ACCOUNT", "Le plan comptable du pôle n'a pas de compte 512000.", { status: 422 });

  const lines = await client.$queryRaw<
    {
      id: number;
      date: string;
      amount: number;
      label: string;
      entryLabel: string;
      pieceRef: string;
      party: string | null;
    }[]
  >`
    SELECT l."id", l."date"::text AS "date", (l."debit" - l."credit") AS "amount", coalesce(l."label", e."label") AS "label",
           e."label" AS "entryLabel", e."pieceRef", coalesce(p."name", o."name") AS "party"
    FROM "EntryLine" l JOIN "JournalEntry" e ON e."id" = l."entryId"
    LEFT JOIN "Person" p ON p."id" = l."thirdPartyPersonId"
    LEFT JOIN "Organisation" o ON o."id" = l."thirdPartyOrganisationId"
    WHERE l."poleId" = ${input.poleId} AND l."accountId" = ${accountId} AND e."journal" <> 'AN'
      AND l."date" BETWEEN ${fromDate}::date AND ${toDate}::date
    ORDER BY l."date", l."id"`;
  const opening = await booksBankBalance(client, { poleId: input.poleId, day: dayBefore(fromDate) });
  const movements = lines.reduce((sum, l) => sum + Number(l.amount), 0);
  const closing = opening - DEMO_FEE.cents + movements;
  const compact = input.month.replace("-", "");

  const entry = (e: {
    ref: string;
    amount: number;
    day: string;
    label: string;
    party?: string | null;
    remittance?: string;
    endToEnd?: string;
  }) => {
    const credit = e.amount > 0;
    const partyRole = credit ? "Dbtr" : "Cdtr";
    return `      <Ntry>
        <Amt Ccy="EUR">${camtAmount(e.amount)}</Amt>
        <CdtDbtInd>${credit ? "CRDT" : "DBIT"}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>${e.day}</Dt></BookgDt>
        <ValDt><Dt>${e.day}</Dt></ValDt>
        <AcctSvcrRef>${xml(e.ref)}</AcctSvcrRef>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>${xml(e.endToEnd ?? "NOTPROVIDED")}</EndToEndId></Refs>${
              e.party
                ? `
            <RltdPties><${partyRole}><Nm>${xml(bankLabel(e.party))}</Nm></${partyRole}></RltdPties>`
                : ""
            }${
              e.remittance
                ? `
            <RmtInf><Ustrd>${xml(bankLabel(e.remittance))}</Ustrd></RmtInf>`
                : ""
            }
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>${xml(e.label)}</AddtlNtryInf>
      </Ntry>`;
  };
  const entries = lines.map((l) => {
    const amount = Number(l.amount);
    return entry({
      ref: `VF${compact}L${l.id}`,
      amount,
      day: l.date,
      label: bankLabel(`${amount > 0 ? "VIR SEPA RECU" : "PRLV SEPA"} ${l.entryLabel}`),
      party: l.party,
      remittance: l.pieceRef,
      endToEnd: l.pieceRef,
    });
  });
  entries.push(entry({ ref: `VF${compact}FRAIS`, amount: -DEMO_FEE.cents, day: toDate, label: DEMO_FEE.label }));

  const balance = (code: "OPBD" | "CLBD", cents: number, day: string) => `      <Bal>
        <Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">${camtAmount(cents)}</Amt>
        <CdtDbtInd>${cents < 0 ? "DBIT" : "CRDT"}</CdtDbtInd>
        <Dt><Dt>${day}</Dt></Dt>
      </Bal>`;
  // Nothing depends on the clock: the file of a month is the same bytes whenever it is built.
  const createdAt = `${toDate}T22:00:00+01:00`;
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>VF-CAMT053-${compact}-${toDate.slice(8, 10)}</MsgId>
      <CreDtTm>${createdAt}</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>VF-${compact}</Id>
      <CreDtTm>${createdAt}</CreDtTm>
      <FrToDt><FrDtTm>${fromDate}T00:00:00+01:00</FrDtTm><ToDtTm>${toDate}T23:59:59+01:00</ToDtTm></FrToDt>
      <Acct>
        <Id><IBAN>${DEMO_IBAN}</IBAN></Id>
        <Ccy>EUR</Ccy>
        <Svcr><FinInstnId><BIC>BDEMFRPPXXX</BIC><Nm>Banque de démonstration</Nm></FinInstnId></Svcr>
      </Acct>
${balance("OPBD", opening, dayBefore(fromDate))}
${balance("CLBD", closing, toDate)}
${entries.join("\n")}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
  return ok({
    filename: `releve-demo-camt053-${input.month}.xml`,
    body,
    lines: entries.length,
    fromDate,
    toDate,
  });
}
