import type { Certificate } from "~/generated/prisma/client";
import { certificateEmail } from "~/emails/training";
import { parisDate } from "~/domain/ledger/index.server";
import type { Effects } from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { appUrl } from "~/utils/env.server";
import { formatDate } from "~/utils/format";
import { lockRow } from "~/utils/row-locks.server";
import {
  ATTENDED,
  byPersonName,
  halfDaysOf,
  lastPartEnd,
  lockSession,
  meetsAttendanceRule,
  sessionParts,
} from "./attendance.server";
import { recogniseRegistration, registrationInclude } from "./books.server";
import { registrationEmailBase } from "./payment.server";

// A session delivered (decision 020, "The books"): once its last part has ended, staff close it. One
// compare-and-set moves it to DELIVERED; then each confirmed registration's deferred revenue becomes revenue
// (recogniseRegistration, keyed per registration), and each attendee who meets the rule — at least 80 % of the
// half-days present or late — gets a certificate of completion, numbered ATT-<year>-<n> per pole without a gap, and
// an email. A second call finds the session delivered and does nothing.

export const certificatePath = (registrationId: string) => `/compte/formations/${registrationId}/attestation.pdf`;

export type DeliverInput = { poleId: string; sessionId: string; staffId: string; now: Date };

export function deliverSession(
  client: Client,
  input: DeliverInput,
): Promise<Result<{ recognised: number; certificates: Certificate[]; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const session = await lockSession(tx, input);
    if (!session) return fail("NOT_FOUND", "Cette session n'existe pas.", { status: 404 });
    if (session.status === "CANCELLED")
      return fail("CANCELLED", "Cette session est annulée : elle ne peut pas être close.", { status: 409 });
    if (session.status === "DELIVERED")
      return fail("ALREADY_DELIVERED", "Cette session est déjà close.", { status: 409 });
    const parts = await sessionParts(tx, session.id);
    const end = lastPartEnd(session, parts);
    if (input.now < end)
      return fail(
        "NOT_ENDED",
        `La session se termine le ${formatDate(end, "dateTime")} : elle pourra être close après sa dernière partie.`,
        { status: 409 },
      );
    const { count } = await tx.trainingSession.updateMany({
      where: { id: session.id, status: { in: ["SCHEDULED", "CONFIRMED"] } },
      data: { status: "DELIVERED", deliveredAt: input.now },
    });
    if (count === 0) return fail("ALREADY_DELIVERED", "Cette session est déjà close.", { status: 409 });

    const halfDays = halfDaysOf(parts);
    const keys = halfDays.map((h) => h.start);
    const registrations = byPersonName(
      await tx.registration.findMany({
        where: { sessionId: session.id, status: "CONFIRMED" },
        include: registrationInclude,
      }),
    );
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId }, select: { name: true } });
    const effects: Effects = { emails: [], refunds: [] };
    const certificates: Certificate[] = [];
    let recognised = 0;
    // Money the pole kept from a late cancellation is revenue of the delivered session too (no certificate).
    const keptLate = await tx.registration.findMany({
      where: {
        sessionId: session.id,
        status: "CANCELLED",
        invoiceId: { not: null },
        recognisedAt: null,
        // Money being given back is not revenue: its credit note comes with the refund.
        payments: { none: { refunds: { some: {} } } },
      },
      select: { id: true },
    });
    for (const { id } of keptLate) {
      await lockRow(tx, "Registration", { id });
      if (await recogniseRegistration(tx, id, input.now)) recognised += 1;
    }
    for (const r of registrations) {
      await lockRow(tx, "Registration", { id: r.id });
      if (await recogniseRegistration(tx, r.id, input.now)) recognised += 1;
      const attended = await tx.attendance.count({
        where: { registrationId: r.id, halfDayStart: { in: keys }, status: { in: [...ATTENDED] } },
      });
      if (!meetsAttendanceRule(attended, halfDays.length)) continue;
      const certificate = await issueCertificate(tx, {
        poleId: input.poleId,
        registrationId: r.id,
        halfDaysPresent: attended,
        halfDaysTotal: halfDays.length,
        now: input.now,
      });
      certificates.push(certificate);
      const email = certificateEmail({
        ...registrationEmailBase(pole.name, r),
        url: `${appUrl()}${certificatePath(r.id)}`,
      });
      effects.emails.push({ poleId: input.poleId, to: r.person.email, ...email });
    }
    return ok({ recognised, certificates, effects });
  });
}

/**
 * The registration's certificate, numbered in issue order per pole and year of issue (ATT-2027-0001), without a
 * gap: the number is read and taken under a transaction-scoped lock of the pole's series, so two sessions closed
 * at once never take the same number, and a rolled-back closing consumes none. Once per registration (unique).
 */
async function issueCertificate(
  tx: Tx,
  input: { poleId: string; registrationId: string; halfDaysPresent: number; halfDaysTotal: number; now: Date },
) {
  const year = parisDate(input.now).slice(0, 4);
  const prefix = `ATT-${year}-`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`certificates:${input.poleId}:${year}`}))`;
  const [{ last }] = await tx.$queryRaw<{ last: number | null }[]>`
    SELECT max(split_part("number", '-', 3)::int) AS last
    FROM "Certificate" WHERE "poleId" = ${input.poleId} AND "number" LIKE ${`${prefix}%`}`;
  return tx.certificate.create({
    data: {
      poleId: input.poleId,
      registrationId: input.registrationId,
      number: `${prefix}${String((last ?? 0) + 1).padStart(4, "0")}`,
      halfDaysPresent: input.halfDaysPresent,
      halfDaysTotal: input.halfDaysTotal,
      issuedAt: input.now,
      emailedAt: input.now,
    },
  });
}
