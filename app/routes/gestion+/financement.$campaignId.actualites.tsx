import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Field, FormErrors, IntentForm, SubmitButton, TextAreaField, useValidatedForm } from "~/components/forms";
import { DoneNotice } from "~/components/spaces-admin";
import { runCommand } from "~/domain/commands.server";
import { NewsSchema } from "~/domain/crowdfunding/admin-schemas";
import { campaignNews, publishNews } from "~/domain/crowdfunding/index.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Actualités de la campagne — Gestion" }];

async function campaignOf(poleId: string, campaignId: string | undefined) {
  const campaign = await db.campaign.findFirst({
    where: { id: campaignId ?? "", poleId },
    select: { id: true, status: true },
  });
  if (!campaign) httpError(404, "Cette campagne n'existe pas.");
  return campaign;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const campaign = await campaignOf(pole.id, params.campaignId);
  const news = await campaignNews(db, { poleId: pole.id, campaignId: campaign.id });
  return json({
    campaign,
    news: news.map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      publishedAt: n.publishedAt.toISOString(),
      author: n.author,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "crowdfunding:manage");
  const campaign = await campaignOf(pole.id, params.campaignId);
  const form = await readForm(request);
  if (form.get("intent") !== "news") return httpError(400, "Cette action n'existe pas.");
  const submission = parseWithZod(form, { schema: NewsSchema });
  if (submission.status !== "success") return invalid(submission);
  const now = new Date();
  const result = await runCommand(
    publishNews,
    { poleId: pole.id, campaignId: campaign.id, ...submission.value, authorId: person.id, now },
    { now },
  );
  if (!result.ok) return refused(submission, result);
  return redirect(`/gestion/financement/${campaign.id}/actualites?envoyes=${result.value.emails.length}`);
}

export default function CampaignNews() {
  const { campaign, news } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const sent = searchParams.get("envoyes");
  const [form, fields] = useValidatedForm(NewsSchema, { lastResult, id: "actualite" });
  return (
    <>
      <DoneNotice
        message={
          lastResult || sent === null
            ? null
            : `Actualité publiée et envoyée par email à ${sent} contributeur(s) (voir « Emails envoyés »).`
        }
      />
      <div className="two-columns">
        <section className="card" aria-labelledby="ecrire">
          <h2 id="ecrire">Publier une actualité</h2>
          {campaign.status === "DRAFT" ? (
            <p className="muted">Les actualités se publient une fois la campagne publiée.</p>
          ) : (
            <IntentForm intent="news" {...getFormProps(form)} className="form">
              <FormErrors id={form.errorId} errors={form.errors} />
              <p className="field-hint">
                Elle paraît sur la page de la campagne et part par email à chaque personne qui la soutient (contribution
                promise ou réglée).
              </p>
              <Field meta={fields.title} label="Titre" />
              <TextAreaField meta={fields.body} label="Texte" rows={8} />
              <SubmitButton pendingLabel="Envoi…">Publier et envoyer</SubmitButton>
            </IntentForm>
          )}
        </section>
        <section aria-labelledby="publiees">
          <h2 id="publiees">Actualités publiées</h2>
          {news.length === 0 ? (
            <p className="muted">Aucune actualité pour l'instant.</p>
          ) : (
            <ul className="news-list">
              {news.map((n) => (
                <li key={n.id} className="card">
                  <h3>{n.title}</h3>
                  <p className="cell-sub">
                    le {formatDate(n.publishedAt, "dateTime")}
                    {n.author ? ` par ${n.author}` : ""}
                  </p>
                  <p className="news-body">{n.body}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
