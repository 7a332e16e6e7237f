import { applicationLapsedEmail, reconfirmEmail } from "~/emails/leasing";
import { parisDate } from "~/domain/ledger/dates";
import { askReconfirmations, lapseUnconfirmed } from "~/domain/waitlist/index.server";
import { inTransaction, type Db } from "~/utils/db.server";
import { sendEmail, type EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatDate } from "~/utils/format";
import { invoiceEachDueInstalment } from "./instalments.server";
import { endFinishedLeases, remindOverdue } from "./leases.server";
import { expireOffers } from "./offers.server";

// The land's part of the periodic sweep: offers past their deadline pass on, instalments due are invoiced,
// overdue ones reminded weekly, leases past their end close, the queue is reconfirmed once a year.
export async function sweepLand(db: Db, now = new Date()) {
  const today = parisDate(now);
  const base = appUrl();
  const emails: EmailMessage[] = [];
  emails.push(...(await expireOffers(db, now)).emails);
  const invoicing = await invoiceEachDueInstalment(db, { today, now });
  emails.push(...invoicing.emails);
  emails.push(...(await remindOverdue(db, now)));
  const ended = (await endFinishedLeases(db, today)).count;
  const asked = await inTransaction(db, (tx) => askReconfirmations(tx, { kind: "PLOT", now }));
  for (const { entry, token, lapsesAt } of asked) {
    emails.push({
      poleId: entry.poleId,
      to: entry.person.email,
      ...reconfirmEmail({
        poleName: entry.pole.name,
        name: entry.person.name,
        lapses: formatDate(lapsesAt),
        url: `${base}/terres/confirmer?jeton=${token}`,
      }),
    });
  }
  const lapsed = await inTransaction(db, (tx) => lapseUnconfirmed(tx, { kind: "PLOT", now }));
  for (const entry of lapsed)
    emails.push({
      poleId: entry.poleId,
      to: entry.person.email,
      ...applicationLapsedEmail({ poleName: entry.pole.name, name: entry.person.name, url: `${base}/terres` }),
    });
  for (const email of emails) await sendEmail(email, db);
  return {
    emails: emails.length,
    invoicingFailed: invoicing.failed,
    ended,
    asked: asked.length,
    lapsed: lapsed.length,
  };
}
