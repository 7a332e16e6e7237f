import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CampaignForm } from "~/components/crowdfunding-admin";
import { runCommand } from "~/domain/commands.server";
import {
  CAMPAIGN_FORM_FIELDS,
  campaignInputOf,
  CampaignSchema,
  parisMoment,
} from "~/domain/crowdfunding/admin-schemas";
import { createCampaign, goalSuggestion } from "~/domain/crowdfunding/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { centsToInput } from "~/domain/ledger/schemas";
import { addDays } from "~/domain/booking/time";
import { refusedOn } from "~/utils/crowdfunding-forms.server";
import { db } from "~/utils/db.server";
import { invalid } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";
import { imageChoices, publicImages } from "~/utils/public-images.server";

export const meta: MetaFunction = () => [{ title: "Nouvelle campagne — Gestion" }];

/** How long a new campaign runs unless staff say otherwise: six weeks from today. */
const DEFAULT_DAYS = 42;

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const today = parisDate(new Date());
  const endsOn = addDays(today, DEFAULT_DAYS);
  const suggestion = await goalSuggestion(db, {
    poleId: pole.id,
    startsAt: parisMoment(today, undefined, "start"),
    endsAt: parisMoment(endsOn, undefined, "end"),
  });
  return json({
    images: imageChoices(await publicImages()),
    suggestion,
    values: {
      mode: "ALL_OR_NOTHING",
      startsOn: today,
      endsOn,
      ...(suggestion.totalCents > 0 ? { goal: centsToInput(suggestion.totalCents) } : {}),
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const submission = parseWithZod(await readForm(request), { schema: CampaignSchema });
  if (submission.status !== "success") return invalid(submission);
  const input = campaignInputOf(submission.value);
  if (input.imageUrl && !(await publicImages()).includes(input.imageUrl))
    return json(submission.reply({ fieldErrors: { imageUrl: ["Cette image n'est pas dans public/images."] } }), {
      status: 422,
    });
  const result = await runCommand(createCampaign, { poleId: pole.id, ...input });
  if (!result.ok) return refusedOn(submission, result, CAMPAIGN_FORM_FIELDS);
  return redirect(`/gestion/financement/${result.value.id}?fait=creee`);
}

export default function NewCampaign() {
  const { images, suggestion, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/gestion/financement">← Toutes les campagnes</Link>
      </p>
      <h1>Nouvelle campagne</h1>
      <p className="muted">
        La campagne est créée en brouillon : ajoutez-lui ses contreparties, puis publiez-la. La suggestion d'objectif
        porte sur les six semaines proposées ; elle est recalculée sur les dates de la campagne une fois créée.
      </p>
      <CampaignForm
        lastResult={lastResult}
        defaultValue={values}
        images={images}
        suggestion={suggestion}
        submitLabel="Créer le brouillon"
      />
    </>
  );
}
