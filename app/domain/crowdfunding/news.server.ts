import type { CampaignNews } from "~/generated/prisma/client";
import { campaignNewsEmail } from "~/emails/campaign-news";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { lockRow } from "~/utils/row-locks.server";

// News staff publish on a campaign (decision 019): shown on its page, and mailed through the outbox to each person
// who backs it — a live pledge (promised, or a charge to take up again) or money already in. A pending pledge
// (the card page left unfinished) or a cancelled, lapsed or refunded one is not backing it.

const BACKING = ["SECURED", "ACTION_REQUIRED", "COLLECTED"] as const;
export const NEWS_TITLE_MAX = 160;
export const NEWS_BODY_MAX = 10_000;

export type NewsInput = {
  poleId: string;
  campaignId: string;
  title: string;
  body: string;
  authorId: string;
  now: Date;
};

export function publishNews(
  client: Client,
  input: NewsInput,
): Promise<Result<{ news: CampaignNews; emails: EmailMessage[] }>> {
  return inTransaction(client, async (tx) => {
    const title = input.title.trim();
    const body = input.body.trim();
    if (title.length < 3 || title.length > NEWS_TITLE_MAX)
      return fail("TITLE", `Le titre compte de 3 à ${NEWS_TITLE_MAX} caractères.`, { field: "title" });
    if (body.length < 3 || body.length > NEWS_BODY_MAX)
      return fail("BODY", `Le texte compte de 3 à ${NEWS_BODY_MAX} caractères.`, { field: "body" });
    // Locked so a news and the campaign's closing are told in one order.
    if (!(await lockRow(tx, "Campaign", { id: input.campaignId, poleId: input.poleId })))
      return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
    const campaign = await tx.campaign.findUniqueOrThrow({
      where: { id: input.campaignId },
      include: { pole: { select: { name: true } } },
    });
    if (campaign.status === "DRAFT")
      return fail("DRAFT", "Publiez la campagne avant d'y publier des actualités.", { status: 409 });
    const news = await tx.campaignNews.create({
      data: { campaignId: campaign.id, title, body, publishedAt: input.now, authorId: input.authorId },
    });
    const backers = await tx.person.findMany({
      where: { pledges: { some: { campaignId: campaign.id, status: { in: [...BACKING] } } } },
      select: { name: true, email: true },
      orderBy: { email: "asc" },
    });
    const url = `${appUrl()}/financement/${campaign.slug}`;
    const emails = backers.map((person) => ({
      poleId: input.poleId,
      to: person.email,
      ...campaignNewsEmail({
        poleName: campaign.pole.name,
        name: person.name,
        campaignTitle: campaign.title,
        title,
        body,
        url,
      }),
    }));
    return ok({ news, emails });
  });
}

/** A campaign's news, newest first, each with its author's name (null when the account is gone). */
export async function campaignNews(client: Client, input: { poleId: string; campaignId: string }) {
  const news = await client.campaignNews.findMany({
    where: { campaignId: input.campaignId, campaign: { poleId: input.poleId } },
    orderBy: { publishedAt: "desc" },
  });
  const ids = [...new Set(news.flatMap((n) => (n.authorId ? [n.authorId] : [])))];
  const authors = ids.length
    ? await client.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    : [];
  const names = new Map(authors.map((a) => [a.id, a.name]));
  return news.map((n) => ({ ...n, author: n.authorId ? (names.get(n.authorId) ?? null) : null }));
}
