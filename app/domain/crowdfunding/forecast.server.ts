import type { ForecastSource } from "~/domain/ledger/index.server";
import { toSqlDate } from "~/domain/ledger/dates";
import { splitInclTax } from "~/domain/ledger/vat";

/**
 * The crowdfunding forecast: what live campaigns' secured pledges will bring as revenue when they close — gifts,
 * and rewards excluding VAT — in the month of the deadline. Shares are capital, never revenue: left out. Rewards
 * that are booklets or training credits are counted too, though their revenue is deferred until used: the
 * forecast says what the campaign brings, not when the books recognise it.
 */
export const crowdfundingForecast: ForecastSource = async (tx, { poleId, from, to }) => {
  const rows = await tx.$queryRaw<{ month: string; gift: bigint; sale: bigint; vat: number }[]>`
    SELECT to_char(c."endsAt" AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS month,
      sum(CASE WHEN t."kind" = 'REWARD' AND NOT t."symbolic" THEN 0
               WHEN t."kind" = 'SHARE' THEN p."giftCents"
               ELSE p."amountCents" + p."giftCents" END)::bigint AS gift,
      sum(CASE WHEN t."kind" = 'REWARD' AND NOT t."symbolic" THEN p."amountCents" + p."giftCents" ELSE 0 END)::bigint AS sale,
      coalesce(t."vatRateBp", 0) AS vat
    FROM "Pledge" p JOIN "Campaign" c ON c."id" = p."campaignId" LEFT JOIN "CampaignTier" t ON t."id" = p."tierId"
    WHERE p."poleId" = ${poleId} AND c."status" = 'PUBLISHED' AND p."recognisedAt" IS NULL
      AND p."status"::text IN ('SECURED', 'COLLECTED')
      AND (c."endsAt" AT TIME ZONE 'Europe/Paris')::date BETWEEN ${toSqlDate(from)} AND ${toSqlDate(to)}
    GROUP BY 1, 4`;
  const byMonth = new Map<string, number>();
  for (const r of rows)
    byMonth.set(r.month, (byMonth.get(r.month) ?? 0) + Number(r.gift) + splitInclTax(Number(r.sale), r.vat).exclTax);
  return [...byMonth].map(([month, amount]) => ({ stream: "CROWDFUNDING" as const, month, amount }));
};
