import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField, Field, FormErrors, SavedNotice, SubmitButton, useValidatedForm } from "~/components/forms";
import { runCommand } from "~/domain/commands.server";
import { TrainingSettingsSchema } from "~/domain/training/admin-schemas";
import { trainingVat, updateTrainingSettings } from "~/domain/training/index.server";
import { invalid } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { can, requirePermission } from "~/utils/permissions.server";

// The pole's training settings: its training organisation's declaration and VAT exemption, the espace-test rule,
// the waiting list's offers, offline payment and cancellation delays. Staff read them; an administrator changes
// them, as the pole's other settings (the VAT of every training invoice follows from them).

export const meta: MetaFunction = () => [{ title: "Réglages des formations — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "training:manage");
  return json({
    canEdit: can(membership.role, "settings:edit"),
    exempt: trainingVat(pole).vatRateBp === 0,
    values: {
      trainingDeclarationNumber: pole.trainingDeclarationNumber ?? "",
      trainingExemptionAttestation: pole.trainingExemptionAttestation ?? "",
      espaceTestRequiresTraining: pole.espaceTestRequiresTraining ? "on" : "",
      trainingOfferHours: String(pole.trainingOfferHours),
      trainingOfflineDays: String(pole.trainingOfflineDays),
      trainingCancelDays: String(pole.trainingCancelDays),
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "training:manage");
  if (!can(membership.role, "settings:edit"))
    httpError(403, "Seul·e un·e administrateur·rice peut modifier les réglages des formations.");
  const submission = parseWithZod(await readForm(request), { schema: TrainingSettingsSchema });
  if (submission.status !== "success") return invalid(submission);
  await runCommand(updateTrainingSettings, { poleId: pole.id, ...submission.value });
  return json({ ...submission.reply(), saved: true as const });
}

export default function TrainingSettings() {
  const { canEdit, exempt, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(TrainingSettingsSchema, { lastResult, defaultValue: values });
  return (
    <>
      <h1>Réglages des formations</h1>
      {canEdit ? null : (
        <p className="notice" role="status">
          Seul·e un·e administrateur·rice peut modifier ces réglages ; vous les voyez en lecture.
        </p>
      )}
      <SavedNotice result={lastResult}>Réglages enregistrés.</SavedNotice>
      <Form method="post" {...getFormProps(form)} className="form settings-form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset className="card" disabled={!canEdit}>
          <legend>Organisme de formation et TVA</legend>
          <p className={exempt ? "notice notice-success" : "notice"} role="status">
            {exempt
              ? "Les formations sont facturées sans TVA, avec la mention « Exonération de TVA — article 261-4-4° a du CGI »."
              : "Les formations sont facturées avec 20 % de TVA."}
          </p>
          <p className="field-hint">
            L'exonération de TVA (article 261-4-4° a du CGI) ne s'applique que lorsque les deux sont renseignés : le
            numéro de déclaration d'activité <strong>et</strong> l'attestation d'exonération. Avec l'un seulement, les
            factures portent 20 % de TVA. Les factures déjà émises ne changent pas.
          </p>
          <Field
            meta={fields.trainingDeclarationNumber}
            label="Numéro de déclaration d'activité (facultatif)"
            inputMode="numeric"
            hint="11 chiffres, attribué par la préfecture de région (ex. 76 31 12345 31)."
          />
          <Field
            meta={fields.trainingExemptionAttestation}
            label="Attestation d'exonération de TVA (facultatif)"
            placeholder="Attestation de la DREETS du 12/01/2027, réf. 2027-0042"
            hint="Sa date et sa référence, telles qu'elles figurent sur le document."
          />
        </fieldset>
        <fieldset className="card" disabled={!canEdit}>
          <legend>De la formation à la terre</legend>
          <CheckboxField
            meta={fields.espaceTestRequiresTraining}
            label="Un bail d'espace-test exige une formation qui y ouvre l'accès"
            hint="Les candidatures sans formation achevée (marquée « ouvre l'accès à un espace-test ») ne reçoivent pas d'offre d'espace-test ; l'historique de la file dit pourquoi."
          />
        </fieldset>
        <fieldset className="card" disabled={!canEdit}>
          <legend>Délais</legend>
          <div className="form-row form-row-3">
            <Field
              meta={fields.trainingOfferHours}
              label="Durée d'une place proposée (heures)"
              type="number"
              hint="Liste d'attente : une place libérée est proposée pour ce temps (reporté à 9 h le jour ouvré suivant s'il finit la nuit). De 1 à 720."
            />
            <Field
              meta={fields.trainingOfflineDays}
              label="Délai de paiement hors ligne (jours)"
              type="number"
              hint="Une place réglée par virement, chèque ou financeur est tenue ce temps (jamais après le début). De 1 à 60."
            />
            <Field
              meta={fields.trainingCancelDays}
              label="Annulation remboursée jusqu'à (jours avant)"
              type="number"
              hint="Plus tard, ce qui a été réglé reste acquis au pôle. 0 : remboursée jusqu'au début. De 0 à 90."
            />
          </div>
        </fieldset>
        {canEdit ? <SubmitButton pendingLabel="Enregistrement…">Enregistrer les réglages</SubmitButton> : null}
      </Form>
    </>
  );
}
