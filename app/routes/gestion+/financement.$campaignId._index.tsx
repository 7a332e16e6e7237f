import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CampaignForm, CampaignTextForm, TierForm } from "~/components/crowdfunding-admin";
import { allErrors, FormErrors, IntentButton } from "~/components/forms";
import { DoneNotice, resultFor } from "~/components/spaces-admin";
import { runCommand } from "~/domain/commands.server";
import {
  AddTierSchema,
  CAMPAIGN_FORM_FIELDS,
  campaignInputOf,
  CampaignTextSchema,
  CloseSchema,
  DraftSchema,
  EditTierSchema,
  parisFields,
  PublishSchema,
  RemoveTierSchema,
  TIER_FORM_FIELDS,
  tierInputOf,
} from "~/domain/crowdfunding/admin-schemas";
import {
  addTier,
  closeCampaignNow,
  closingPreview,
  goalSuggestion,
  pledgeCounts,
  publishCampaign,
  removeTier,
  staffCampaign,
  updateCampaign,
  updateTier,
} from "~/domain/crowdfunding/index.server";
import { REWARD_KIND_LABELS, TIER_KIND_LABELS, vatRateLabel } from "~/domain/crowdfunding/staff-labels";
import { centsToInput } from "~/domain/ledger/schemas";
import { getStripe } from "~/domain/payments/index.server";
import { refusedOn } from "~/utils/crowdfunding-forms.server";
import { db } from "~/utils/db.server";
import { formatCents, formatNumber } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";
import { imageChoices, publicImages } from "~/utils/public-images.server";

export const meta: MetaFunction = () => [{ title: "Campagne — Gestion" }];

const DONE: Record<string, string> = {
  creee: "Brouillon créé : ajoutez ses contreparties, puis publiez-le.",
  enregistree: "Campagne enregistrée.",
  palier: "Contrepartie enregistrée.",
  retire: "Contrepartie retirée.",
  publiee: "Campagne publiée : elle reçoit des contributions dès son ouverture.",
  reussie: "Campagne close : elle a atteint son objectif. Les contributions promises sont encaissées.",
  echouee: "Campagne close sans atteindre son objectif : rien n'est débité, l'argent reçu est à rembourser.",
};

async function campaignOf(poleId: string, campaignId: string | undefined) {
  const campaign = await staffCampaign(db, { poleId, campaignId: campaignId ?? "" });
  if (!campaign) httpError(404, "Cette campagne n'existe pas.");
  return campaign;
}

const euros = (cents: number | null) => (cents === null ? "" : centsToInput(cents));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const campaign = await campaignOf(pole.id, params.campaignId);
  const draft = campaign.status === "DRAFT";
  const askClose = new URL(request.url).searchParams.has("fermer") && campaign.status === "PUBLISHED";
  const [images, products, counts, suggestion, preview] = await Promise.all([
    publicImages(),
    draft
      ? db.passProduct.findMany({
          where: { poleId: pole.id, active: true },
          orderBy: { name: "asc" },
          select: { id: true, name: true },
        })
      : ([] as { id: string; name: string }[]),
    pledgeCounts(db, campaign.id),
    draft ? goalSuggestion(db, { poleId: pole.id, startsAt: campaign.startsAt, endsAt: campaign.endsAt }) : null,
    askClose ? closingPreview(db, { poleId: pole.id, campaignId: campaign.id }) : null,
  ]);
  // The preview is only asked of a campaign found above: a refusal here would be a bug.
  if (preview && !preview.ok) throw new Error(preview.message);
  const starts = parisFields(campaign.startsAt);
  const ends = parisFields(campaign.endsAt);
  return json({
    campaign: { id: campaign.id, status: campaign.status, title: campaign.title },
    images: imageChoices(images),
    products,
    suggestion,
    preview: preview?.value ?? null,
    counts,
    values: {
      slug: campaign.slug,
      title: campaign.title,
      story: campaign.story,
      imageUrl: campaign.imageUrl ?? "",
      goal: euros(campaign.goalCents),
      minimum: euros(campaign.minimumCents),
      optimum: euros(campaign.optimumCents),
      mode: campaign.mode,
      startsOn: starts.day,
      startsTime: starts.time,
      endsOn: ends.day,
      endsTime: ends.time,
      maxPledge: euros(campaign.maxPledgeCents),
    },
    tiers: campaign.tiers.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      kind: t.kind,
      kindLabel: TIER_KIND_LABELS[t.kind],
      priceCents: t.priceCents,
      symbolic: t.symbolic,
      vat: t.kind === "REWARD" && !t.symbolic ? vatRateLabel(t.vatRateBp) : null,
      cap: t.cap,
      claimed: t.claimed,
      reward: t.rewardKind
        ? `${REWARD_KIND_LABELS[t.rewardKind]}${t.passProduct ? ` : ${t.passProduct.name}` : ""}`
        : null,
      share: t.kind === "SHARE" ? { nominalCents: t.shareNominalCents!, min: t.minShares!, college: t.college! } : null,
      values: {
        name: t.name,
        description: t.description,
        kind: t.kind,
        price: t.kind === "SHARE" ? "" : euros(t.priceCents),
        symbolic: t.symbolic ? "on" : "",
        vatRate: String(t.vatRateBp),
        cap: t.cap === null ? "" : String(t.cap),
        rewardKind: t.rewardKind ?? "OTHER",
        passProductId: t.passProductId ?? "",
        shareNominal: euros(t.shareNominalCents),
        minShares: t.minShares === null ? "1" : String(t.minShares),
        college: t.college ?? "",
      },
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const campaign = await campaignOf(pole.id, params.campaignId);
  const form = await readForm(request);
  const ids = { poleId: pole.id, campaignId: campaign.id };
  const done = (what: string) => redirect(`/gestion/financement/${campaign.id}?fait=${what}`);
  const unknownImage = async (imageUrl: string | null | undefined) =>
    Boolean(imageUrl) && !(await publicImages()).includes(imageUrl!);
  const imageRefused = (submission: Parameters<typeof invalid>[0]) =>
    json(submission.reply({ fieldErrors: { imageUrl: ["Cette image n'est pas dans public/images."] } }), {
      status: 422,
    });

  switch (form.get("intent")) {
    case "edit": {
      const submission = parseWithZod(form, { schema: DraftSchema });
      if (submission.status !== "success") return invalid(submission);
      const input = campaignInputOf(submission.value);
      if (await unknownImage(input.imageUrl)) return imageRefused(submission);
      const result = await runCommand(updateCampaign, { ...ids, ...input });
      if (!result.ok) return refusedOn(submission, result, CAMPAIGN_FORM_FIELDS);
      return done("enregistree");
    }
    case "edit-text": {
      const submission = parseWithZod(form, { schema: CampaignTextSchema });
      if (submission.status !== "success") return invalid(submission);
      const { title, story, imageUrl } = submission.value;
      if (await unknownImage(imageUrl)) return imageRefused(submission);
      const result = await runCommand(updateCampaign, {
        ...ids,
        title,
        story: story ?? "",
        imageUrl: imageUrl ?? null,
      });
      if (!result.ok) return refused(submission, result);
      return done("enregistree");
    }
    case "add-tier": {
      const submission = parseWithZod(form, { schema: AddTierSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(addTier, { ...ids, ...tierInputOf(submission.value) });
      if (!result.ok) return refusedOn(submission, result, TIER_FORM_FIELDS);
      return done("palier");
    }
    case "edit-tier": {
      const submission = parseWithZod(form, { schema: EditTierSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(updateTier, {
        ...ids,
        tierId: submission.value.tierId,
        ...tierInputOf(submission.value),
      });
      if (!result.ok) return refusedOn(submission, result, TIER_FORM_FIELDS);
      return done("palier");
    }
    case "remove-tier": {
      const submission = parseWithZod(form, { schema: RemoveTierSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(removeTier, { ...ids, tierId: submission.value.tierId });
      if (!result.ok) return refused(submission, result);
      return done("retire");
    }
    case "publish": {
      const submission = parseWithZod(form, { schema: PublishSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(publishCampaign, { ...ids, now: new Date() });
      if (!result.ok) return refused(submission, result);
      return done("publiee");
    }
    case "close": {
      const submission = parseWithZod(form, { schema: CloseSchema });
      if (submission.status !== "success") return invalid(submission);
      const stripe = getStripe();
      const now = new Date();
      const result = await runCommand(
        (client, input: typeof ids & { now: Date }) => closeCampaignNow(client, stripe, input),
        { ...ids, now },
        { now, stripe },
      );
      if (!result.ok) return refused(submission, result);
      return done(result.value.succeeded ? "reussie" : "echouee");
    }
    default:
      return httpError(400, "Cette action n'existe pas.");
  }
}

export default function CampaignPage() {
  const { campaign, images, values, suggestion, tiers, counts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const draft = campaign.status === "DRAFT";
  return (
    <>
      <DoneNotice message={actionData ? null : DONE[searchParams.get("fait") ?? ""]} />
      {draft ? <PublishCard tierCount={tiers.length} /> : null}
      {campaign.status === "PUBLISHED" ? <CloseCard live={(counts.SECURED ?? 0) + (counts.COLLECTED ?? 0)} /> : null}

      <section aria-labelledby="contreparties">
        <h2 id="contreparties">Contreparties</h2>
        {draft ? null : (
          <p className="muted">
            Publiée, la campagne garde ses contreparties telles que les contributeurs les ont choisies.
          </p>
        )}
        <FormErrors errors={allErrors(resultFor(actionData, "remove-tier"))} />
        {tiers.length === 0 ? <p className="notice">Aucune contrepartie : ajoutez-en au moins une.</p> : null}
        <ul className="tier-list">
          {tiers.map((t) => (
            <TierItem key={t.id} tier={t} draft={draft} />
          ))}
        </ul>
        {draft ? (
          <details className="card" open={Boolean(resultFor(actionData, "add-tier")) || tiers.length === 0}>
            <summary>Ajouter une contrepartie</summary>
            <NewTier />
          </details>
        ) : null}
      </section>

      <section aria-labelledby="campagne-texte">
        <h2 id="campagne-texte">{draft ? "Modifier le brouillon" : "Titre, récit et image"}</h2>
        {draft ? (
          <CampaignForm
            draft
            lastResult={resultFor(actionData, "edit")}
            defaultValue={values}
            images={images}
            suggestion={suggestion ?? { totalCents: 0, lines: [] }}
            submitLabel="Enregistrer le brouillon"
          />
        ) : (
          <CampaignTextForm lastResult={resultFor(actionData, "edit-text")} defaultValue={values} images={images} />
        )}
      </section>
    </>
  );
}

function NewTier() {
  const { products } = useLoaderData<typeof loader>();
  return <TierForm lastResult={resultFor(useActionData<typeof action>(), "add-tier")} products={products} />;
}

type Tier = ReturnType<typeof useLoaderData<typeof loader>>["tiers"][number];

function TierItem({ tier: t, draft }: { tier: Tier; draft: boolean }) {
  const { products } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = resultFor(actionData, "edit-tier") as
    (ReturnType<typeof resultFor> & { initialValue?: { tierId?: string } }) | undefined;
  const mine = reply?.initialValue?.tierId === t.id ? reply : undefined;
  return (
    <li className="card">
      <div className="tier-head">
        <h3>{t.name}</h3>
        <span>
          <strong>
            {t.share
              ? `${formatCents(t.share.nominalCents)} la part, ${formatNumber(t.share.min)} au moins (${formatCents(t.priceCents)})`
              : `${t.kind === "GIFT" ? "à partir de " : ""}${formatCents(t.priceCents)}`}
          </strong>
        </span>
      </div>
      <p className="muted">
        {t.kindLabel}
        {t.symbolic ? " symbolique (reste un don)" : ""}
        {t.vat ? ` — TVA ${t.vat}` : ""}
        {t.reward ? ` — ${t.reward}` : ""}
        {t.share ? ` — collège « ${t.share.college} »` : ""} —{" "}
        {t.cap === null
          ? `sans limite de places, ${formatNumber(t.claimed)} contribution(s)`
          : `${formatNumber(t.claimed)} place(s) prise(s) sur ${formatNumber(t.cap)}`}
      </p>
      {t.description ? <p className="prose-text">{t.description}</p> : null}
      {draft ? (
        <div className="link-row">
          <details open={Boolean(mine)}>
            <summary>Modifier…</summary>
            <TierForm lastResult={mine} defaultValue={t.values} products={products} tierId={t.id} />
          </details>
          <IntentButton intent="remove-tier" values={{ tierId: t.id }} className="button button-danger button-small">
            Retirer
          </IntentButton>
        </div>
      ) : null}
    </li>
  );
}

function PublishCard({ tierCount }: { tierCount: number }) {
  const errors = allErrors(resultFor(useActionData<typeof action>(), "publish"));
  return (
    <section className="card" aria-labelledby="publier">
      <h2 id="publier">Publier</h2>
      <FormErrors errors={errors} />
      <p className="field-hint">
        Publiée, la campagne paraît sur /financement et reçoit des contributions de son ouverture à sa date limite. Son
        objectif, ses dates, son mode et ses contreparties ne changent plus.
      </p>
      {tierCount === 0 ? (
        <p className="muted">Ajoutez d'abord au moins une contrepartie.</p>
      ) : (
        <IntentButton intent="publish" className="button">
          Publier la campagne
        </IntentButton>
      )}
    </section>
  );
}

function CloseCard({ live }: { live: number }) {
  const { preview, campaign } = useLoaderData<typeof loader>();
  const errors = allErrors(resultFor(useActionData<typeof action>(), "close"));
  return (
    <section className="card close-preview" aria-labelledby="fermer">
      <h2 id="fermer">Fermer maintenant</h2>
      <FormErrors errors={errors} />
      {preview ? (
        <>
          <p>
            Si la campagne fermait maintenant : elle{" "}
            <strong>{preview.succeeded ? "réussirait" : "n'atteindrait pas son objectif"}</strong> —{" "}
            {formatCents(preview.countedCents)} comptés sur les {formatCents(preview.goalCents)} nécessaires.
          </p>
          <p className="field-hint">
            {preview.succeeded
              ? `Les contributions promises (${formatNumber(live)}) seraient encaissées : les cartes enregistrées débitées, les virements et chèques attendus.`
              : "Rien ne serait débité ; l'argent déjà reçu par virement, chèque ou espèces serait à rembourser."}{" "}
            La clôture est définitive.
          </p>
          <div className="link-row">
            <IntentButton intent="close" className="button button-danger">
              Fermer la campagne maintenant
            </IntentButton>
            <Link to={`/gestion/financement/${campaign.id}`}>Annuler</Link>
          </div>
        </>
      ) : (
        <p>
          Avant sa date limite, la campagne peut être close à la main.{" "}
          <Link to={`/gestion/financement/${campaign.id}?fermer=1`}>Voir ce que donnerait la clôture…</Link>
        </p>
      )}
    </section>
  );
}
