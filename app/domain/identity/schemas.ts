import {
  currentPasswordField,
  emailField,
  newPasswordField,
  optionalText,
  personNameField,
  text,
  z,
} from "~/utils/validation";
import { isValidSiren } from "./french-ids";

// Form schemas shared by the browser (conform) and the server; messages are the French the person reads.

/** An optional SIREN, typed with or without spaces, stored as its nine digits. */
export const optionalSirenField = () =>
  text()
    .transform((v) => v.replace(/\s/g, ""))
    .refine(isValidSiren, { error: "Ce SIREN n'est pas valide (9 chiffres, clé de contrôle)." })
    .optional();

export const SignUpSchema = z.object({
  name: personNameField,
  email: emailField,
  password: newPasswordField,
  organisationName: optionalText(160, "Le nom de l'organisation"),
});

export const LoginSchema = z.object({
  email: emailField,
  password: currentPasswordField,
  // A hidden field the person cannot fix: an unusable value means "no wish" (safeRedirect falls back).
  redirectTo: text().optional().catch(undefined),
});

export const ForgotPasswordSchema = z.object({ email: emailField });

export const ResetPasswordSchema = z
  .object({
    token: text({ error: "Le lien de réinitialisation est incomplet." }).min(10, {
      error: "Le lien de réinitialisation est incomplet.",
    }),
    password: newPasswordField,
    confirm: text({ error: "Confirmez le mot de passe." }),
  })
  .refine((v) => v.password === v.confirm, {
    error: "Les deux mots de passe ne sont pas identiques.",
    path: ["confirm"],
  });

export const ProfileSchema = z.object({
  name: personNameField,
  phone: text()
    .trim()
    .regex(/^[+0-9 .()-]{6,20}$/, { error: "Ce numéro de téléphone n'est pas valide." })
    .optional(),
  organisationName: optionalText(160, "Le nom de l'organisation"),
  /** Printed on the person's invoices from then on (an invoice issued keeps the address it had). */
  address: optionalText(300, "L'adresse", { multiline: true }).refine(
    (v) => !v || v.split("\n").filter((l) => l.trim()).length <= 4,
    { error: "L'adresse tient en 4 lignes au plus." },
  ),
  /** A farmer's or sole trader's own SIREN, printed on the invoices they receive as a professional (decision 022). */
  siren: optionalSirenField(),
});

/** The form of the emailed sign-up link: the token travels in a hidden field, the password is typed again. */
export const ConfirmSignUpSchema = z.object({
  token: text({ error: "Le lien de confirmation est incomplet." })
    .min(10, { error: "Le lien de confirmation est incomplet." })
    .max(200, { error: "Le lien de confirmation n'est pas valide." }),
  password: currentPasswordField,
});
