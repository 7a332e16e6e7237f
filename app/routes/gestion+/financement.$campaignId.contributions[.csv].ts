import type { LoaderFunctionArgs } from "@remix-run/node";
import { parsePledgeQuery } from "~/domain/crowdfunding/admin-schemas";
import { pledgesCsv } from "~/domain/crowdfunding/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/financement/<campaign>/contributions.csv?status=…&tier=…&method=…&q=… — every pledge of the list's
// filter, all pages and every state (UTF-8 with BOM, ";" separators, French dates, for French spreadsheets). A
// download has nobody to show a notice to: a tier that is not the campaign's is refused rather than ignored.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const campaign = await db.campaign.findFirst({
    where: { id: params.campaignId ?? "", poleId: pole.id },
    select: { id: true, slug: true },
  });
  if (!campaign) httpError(404, "Cette campagne n'existe pas.");
  const query = parsePledgeQuery(new URL(request.url).searchParams);
  if (query.tier && !(await db.campaignTier.findFirst({ where: { id: query.tier, campaignId: campaign.id } })))
    httpError(404, "Cette contrepartie n'est pas de la campagne.");
  const csv = await pledgesCsv(db, {
    poleId: pole.id,
    campaignId: campaign.id,
    status: query.status,
    tierId: query.tier,
    method: query.method,
    q: query.q,
  });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="contributions-${campaign.slug}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
