import type { LeaseKind } from "~/generated/prisma/enums";
import { dayField, emailField, multilineText, newPasswordField, personNameField, text, z } from "~/utils/validation";
import { TERMS } from "./rules";

// The public land forms, shared by the browser (conform) and the server. The person, the pole and the rent are
// never read from a form; "not in the past" and "a plot of this pole" are the domain's checks (they need today and
// the database), with the same field names so their messages land under the same fields.

export const MAX_CHOICES = 3;

/** The kinds of lease an applicant can ask for, each explained in one line (the form, the lease summary). */
export const LEASE_KIND_SUMMARIES: Record<LeaseKind, string> = {
  ESPACE_TEST: `Pour tester son activité agricole, accompagné par le pôle : ${TERMS.ESPACE_TEST.defaultMonths / 12} an, renouvelable ${TERMS.ESPACE_TEST.maxRenewals} fois. Le premier pas habituel d'une installation.`,
  CONVENTION_PRECAIRE: `Une occupation temporaire de ${TERMS.CONVENTION_PRECAIRE.minMonths} à ${TERMS.CONVENTION_PRECAIRE.maxMonths} mois, sans droit au renouvellement du statut du fermage.`,
  BAIL_RURAL: `Le statut du fermage pour une installation durable : ${TERMS.BAIL_RURAL.minMonths / 12} ans au moins, renouvelable.`,
};
export const LEASE_KINDS = Object.keys(LEASE_KIND_SUMMARIES) as LeaseKind[];

const ApplicationFields = {
  // Up to three plot ids, in order of preference ("plotIds[0]" is the first choice); empty selects are dropped.
  plotIds: z
    .array(text().trim().max(40, { error: "Cette parcelle n'existe pas." }).optional(), {
      error: "Choisissez vos parcelles dans les listes.",
    })
    .default([])
    .transform((ids) => ids.filter((id): id is string => Boolean(id)))
    .refine((ids) => ids.length <= MAX_CHOICES, { error: `Choisissez au plus ${MAX_CHOICES} parcelles.`, abort: true })
    .refine((ids) => new Set(ids).size === ids.length, {
      error: "Une parcelle ne peut figurer qu'une fois dans vos choix.",
    }),
  minSurfaceM2: z
    .number({ error: "Indiquez une surface en m² (un nombre entier)." })
    .int({ error: "Indiquez une surface en m² (un nombre entier)." })
    .min(100, { error: "La surface minimale est d'au moins 100 m²." })
    .max(1_000_000, { error: "La surface minimale ne peut pas dépasser 100 ha (1 000 000 m²)." })
    .optional(),
  project: multilineText({ error: "Décrivez votre projet." })
    .trim()
    .min(20, { error: "Décrivez votre projet en quelques phrases (au moins 20 caractères)." })
    .max(4000, { error: "La description du projet ne peut pas dépasser 4 000 caractères." }),
  experience: multilineText()
    .trim()
    .max(4000, { error: "Votre expérience ne peut pas dépasser 4 000 caractères." })
    .optional(),
  desiredStartOn: dayField("Indiquez la date de début souhaitée.", "Indiquez une date de début valide (jj/mm/aaaa)."),
  leaseKind: z.enum(LEASE_KINDS as [LeaseKind, ...LeaseKind[]], { error: "Choisissez le type de bail souhaité." }),
  idempotencyKey: text({ error: "Rechargez la page : le formulaire a expiré." })
    .min(8, { error: "Rechargez la page : le formulaire a expiré." })
    .max(100),
};

/** At least one plot or a surface: checked even while other fields are wrong, so every message shows at once. */
const someChoice = (v: { plotIds: string[]; minSurfaceM2?: number }) => v.plotIds.length > 0 || Boolean(v.minSurfaceM2);
const someChoiceParams = {
  error: "Choisissez au moins une parcelle, ou indiquez la surface minimale qui vous convient.",
  path: ["plotIds"],
  when: (payload: { issues: readonly { path?: PropertyKey[] }[] }) =>
    !payload.issues.some((i) => i.path?.[0] === "plotIds" || i.path?.[0] === "minSurfaceM2"),
};

/** A logged-in person applies. */
export const ApplicationSchema = z.object(ApplicationFields).refine(someChoice, someChoiceParams);

/** A visitor applies and gets an account in the same step (same rules as the sign-up form). */
export const VisitorApplicationSchema = z
  .object({ ...ApplicationFields, name: personNameField, email: emailField, password: newPasswordField })
  .refine(someChoice, someChoiceParams);

/** Mon compte › Mes terres: the applicant's answers. */
export const LandIntentSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("withdraw") }),
    z.object({
      intent: z.enum(["accept", "decline"]),
      leaseId: text({ error: "Cette proposition n'existe pas." }).min(1).max(40),
    }),
    z.object({
      intent: z.literal("pay"),
      instalmentId: text({ error: "Cette échéance n'existe pas." }).min(1).max(40),
    }),
  ],
  { error: "Cette action n'est pas reconnue." },
);
