import { requestSignUp, type SignUpFollowUps } from "~/domain/identity/index.server";
import { parisDate } from "~/domain/ledger/dates";
import { fail, ok, type Result } from "~/domain/result";
import { applicationReceivedEmail } from "~/emails/leasing";
import { inTransaction, type Prisma, type Client } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import type { z } from "~/utils/validation";
import { checkApplication, personApplication, submitApplication, type ApplicationInput } from "./applications.server";
import { ApplicationSchema, type VisitorApplicationSchema } from "./schemas";

// A visitor applies for plots and gets an account on the way: the application waits in their sign-up request
// until they confirm their address, then this follow-up records it (decision 012).

const PLOT_APPLICATION = "PLOT_APPLICATION";
export const APPLIED_PATH = "/compte/terres?candidature=enregistree";

type Applied = z.output<typeof ApplicationSchema>;

/** The domain's input from the application form's values. */
export function applicationInput(poleId: string, personId: string, v: Applied, now: Date): ApplicationInput {
  return {
    poleId,
    personId,
    plotIds: v.plotIds,
    minSurfaceM2: v.minSurfaceM2 ?? null,
    project: v.project,
    experience: v.experience ?? "",
    desiredStartOn: v.desiredStartOn,
    leaseKind: v.leaseKind,
    idempotencyKey: v.idempotencyKey,
    today: parisDate(now),
    now,
  };
}

/** What a visitor's sign-up keeps of the form: the application's fields only (never the password). */
function applicationPayload(v: Applied): Prisma.InputJsonValue {
  const { plotIds, minSurfaceM2, project, experience, desiredStartOn, leaseKind, idempotencyKey } = v;
  return {
    plotIds,
    project,
    desiredStartOn,
    leaseKind,
    idempotencyKey,
    ...(minSurfaceM2 === undefined ? {} : { minSurfaceM2 }),
    ...(experience === undefined ? {} : { experience }),
  };
}

/** A signed-in person's application, and the "candidature enregistrée" email with its place in the queue. */
export function applyAsPerson(
  client: Client,
  input: {
    pole: { id: string; name: string };
    person: { id: string; name: string; email: string };
    form: Applied;
    now: Date;
  },
): Promise<Result<{ emails: EmailMessage[] }>> {
  const { pole, person } = input;
  return inTransaction(client, async (tx) => {
    const applied = await submitApplication(tx, applicationInput(pole.id, person.id, input.form, input.now));
    if (!applied.ok) return applied;
    const current = await personApplication(tx, { poleId: pole.id, personId: person.id });
    const received = applicationReceivedEmail({
      poleName: pole.name,
      name: person.name,
      url: `${appUrl()}/compte/terres`,
      position: current?.position ?? 1,
    });
    return ok({ emails: [{ poleId: pole.id, to: person.email, ...received }] });
  });
}

export const landSignUpFollowUps: SignUpFollowUps = {
  [PLOT_APPLICATION]: {
    purpose: "candidater pour une parcelle",
    confirmLabel: "Confirmer mon adresse et envoyer ma candidature",
    loginPath: "/terres/candidater",
    retryPath: "/terres/candidater?candidature=a-renvoyer",
    async run(tx, { pole, person, payload, now }) {
      // Checked again as it comes back from the database: what was valid then may not be now (a date passed).
      const parsed = ApplicationSchema.safeParse(payload);
      if (!parsed.success)
        return fail("UNREADABLE", "La candidature jointe à l'inscription est illisible.", { status: 422 });
      const applied = await applyAsPerson(tx, { pole, person, form: parsed.data, now });
      if (!applied.ok) return applied;
      return ok({ redirectTo: APPLIED_PATH, emails: applied.value.emails });
    },
  },
};

/**
 * A visitor's application: refused at once if its choices are wrong (that depends on the form, not on the
 * address), otherwise kept in a sign-up request until the address is confirmed. Whether the address has an
 * account shows only in the email returned, which the route sends after commit.
 */
export async function applyWithSignUp(
  tx: Client,
  input: { pole: { id: string; name: string }; form: z.output<typeof VisitorApplicationSchema>; now: Date },
): Promise<Result<{ emails: EmailMessage[] }>> {
  const { name, email, password, ...application } = input.form;
  const checked = await checkApplication(tx, {
    poleId: input.pole.id,
    plotIds: application.plotIds,
    minSurfaceM2: application.minSurfaceM2 ?? null,
    desiredStartOn: application.desiredStartOn,
    today: parisDate(input.now),
  });
  if (!checked.ok) return checked;
  const followUp = { kind: PLOT_APPLICATION, payload: applicationPayload(application) };
  return requestSignUp(tx, {
    pole: input.pole,
    name,
    email,
    password,
    followUp,
    followUps: landSignUpFollowUps,
    now: input.now,
  });
}
