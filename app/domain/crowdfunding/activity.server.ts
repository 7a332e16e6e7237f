import type { AnnualActivity } from "~/domain/reporting/activity";

// Crowdfunding in the annual report (decision 025). Campaigns: those open to pledges on a day of the period, and
// those closed in it with their outcome. Money: the pledges whose money came in during the period and stands
// (COLLECTED: received, not given back) — in an all-or-nothing campaign still open at the period's end it is held
// until the close. Shares: the subscriptions among them, admitted by the board or not yet.

export const crowdfundingActivity: AnnualActivity = async (tx, { poleId, from, to }) => {
  const [campaigns, money] = await Promise.all([
    tx.$queryRaw<{ running: bigint; succeeded: bigint; failed: bigint }[]>`
      WITH c AS (
        SELECT ("startsAt" AT TIME ZONE 'Europe/Paris')::date AS "opens", ("endsAt" AT TIME ZONE 'Europe/Paris')::date AS "ends",
               ("closedAt" AT TIME ZONE 'Europe/Paris')::date AS "closed", "succeeded"
        FROM "Campaign" WHERE "poleId" = ${poleId} AND "status" <> 'DRAFT'
      )
      SELECT count(*) FILTER (WHERE "opens" <= ${to}::date AND "ends" >= ${from}::date)::bigint AS "running",
             count(*) FILTER (WHERE "closed" BETWEEN ${from}::date AND ${to}::date AND "succeeded")::bigint AS "succeeded",
             count(*) FILTER (WHERE "closed" BETWEEN ${from}::date AND ${to}::date AND NOT "succeeded")::bigint AS "failed"
      FROM c`,
    tx.$queryRaw<{ pledges: bigint; contributors: bigint; collected: bigint; shares: bigint; capital: bigint }[]>`
      SELECT count(*)::bigint AS "pledges",
             count(DISTINCT p."personId")::bigint AS "contributors",
             coalesce(sum(p."collectedCents"), 0)::bigint AS "collected",
             coalesce(sum(p."shares") FILTER (WHERE t."kind" = 'SHARE'), 0)::bigint AS "shares",
             coalesce(sum(p."amountCents") FILTER (WHERE t."kind" = 'SHARE'), 0)::bigint AS "capital"
      FROM "Pledge" p
      LEFT JOIN "CampaignTier" t ON t."id" = p."tierId"
      WHERE p."poleId" = ${poleId} AND p."status" = 'COLLECTED'
        AND (p."collectedAt" AT TIME ZONE 'Europe/Paris')::date BETWEEN ${from}::date AND ${to}::date`,
  ]);
  const c = campaigns[0];
  const m = money[0];
  const closed = Number(c.succeeded) + Number(c.failed);
  return {
    figures: [
      {
        label: "Campagnes",
        value: Number(c.running),
        format: "count",
        note: closed ? `${closed} close(s) dans la période, ${Number(c.succeeded)} réussie(s)` : undefined,
      },
      { label: "Contributeurs", value: Number(m.contributors), format: "count", note: "personnes distinctes" },
      {
        label: "Montant collecté",
        value: Number(m.collected),
        format: "money",
        note: `${Number(m.pledges)} contribution(s) encaissée(s)`,
      },
      { label: "Parts sociales souscrites", value: Number(m.shares), format: "count" },
      { label: "Capital souscrit", value: Number(m.capital), format: "money", note: "hors ressources de l'exercice" },
    ],
    summary:
      "Contributions encaissées dans l'exercice et non remboursées ; celles d'une campagne « tout ou rien » encore " +
      "ouverte sont conservées jusqu'à sa clôture.",
  };
};
