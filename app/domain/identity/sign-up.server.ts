import type { Prisma, SignUpRequest } from "~/generated/prisma/client";
import { accountExistsEmail, confirmSignUpEmail, welcomeEmail } from "~/emails/account";
import { withSavepoint } from "~/utils/savepoint.server";
import { inTransaction, type Tx, type Client } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { fail, ok, type Result, type Success } from "../result";
import { hashPassword, verifyPassword } from "./passwords.server";
import { digestToken, newToken } from "./tokens.server";
import { SIGN_UP_LINK_HOURS } from "./link-lifetimes";

// Sign-up in two steps (decision 012): the form answers "check your mailbox" whether or not the address has an
// account, and only the emailed link creates one. A stream can ask for something to be done once the account
// exists (record a plot application…) through a follow-up it registers in app/domain/streams.server.ts: this
// module knows the follow-ups by kind only.

const WELCOME_PATH = "/compte?bienvenue=1";
// Expired requests hold a password hash and what was typed: kept a week (for a clear "expired" message), then gone.
const KEEP_EXPIRED_MS = 7 * 24 * 60 * 60 * 1000;

type Pole = { id: string; name: string };

/** What a stream does once a person who came through it has confirmed their address. */
export type SignUpFollowUp = {
  /** What the account is being made for, after "pour" or "et": "candidater pour une parcelle". */
  purpose: string;
  /** The confirmation page's button. */
  confirmLabel: string;
  /** Where an address that already has an account is asked to log in to carry on. */
  loginPath: string;
  /** Where the person lands, logged in, when `run` refuses: their account exists, the rest is to do again. */
  retryPath: string;
  /**
   * Runs in the confirmation's transaction, once the account exists, with the payload stored at sign-up. A
   * refusal is undone on its own (the account stays); a throw undoes the whole confirmation.
   */
  run(
    tx: Tx,
    input: { pole: Pole; person: { id: string; name: string; email: string }; payload: unknown; now: Date },
  ): Promise<Result<{ redirectTo: string; emails: EmailMessage[] }>>;
};
export type SignUpFollowUps = Readonly<Record<string, SignUpFollowUp>>;

type SignUpInput = {
  pole: Pole;
  name: string;
  email: string;
  password: string;
  organisationName?: string;
  followUp?: { kind: string; payload: Prisma.InputJsonValue };
  followUps: SignUpFollowUps;
  now: Date;
};

/**
 * Starts a sign-up. A new address gets a confirmation link; an address with an account gets a notice telling its
 * owner how to log in or reset the password. The caller sends the returned emails after commit and answers the
 * same either way; both branches hash the password so the answer time does not tell them apart either.
 */
/** Never refused: the same answer whether or not the address has an account, only the email differs. */
export async function requestSignUp(client: Client, input: SignUpInput): Promise<Success<{ emails: EmailMessage[] }>> {
  const email = input.email.toLowerCase();
  const followUp = input.followUp ? input.followUps[input.followUp.kind] : undefined;
  if (input.followUp && !followUp) throw new Error(`Suite d'inscription inconnue : ${input.followUp.kind}`);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(client, async (tx) => {
    await tx.signUpRequest.deleteMany({
      where: { expiresAt: { lt: new Date(input.now.getTime() - KEEP_EXPIRED_MS) } },
    });
    // The latest form wins: an older link for this address would create the account with what was typed before.
    await tx.signUpRequest.updateMany({
      where: { email, usedAt: null, replacedAt: null },
      data: { replacedAt: input.now },
    });
    const person = await tx.person.findUnique({ where: { email }, select: { name: true } });
    if (person) {
      const loginUrl = `${appUrl()}/connexion${followUp ? `?redirectTo=${encodeURIComponent(followUp.loginPath)}` : ""}`;
      const notice = accountExistsEmail({
        poleName: input.pole.name,
        name: person.name,
        loginUrl,
        resetUrl: `${appUrl()}/mot-de-passe-oublie`,
        purpose: followUp?.purpose,
      });
      return ok({ emails: [{ poleId: input.pole.id, to: email, ...notice }] });
    }
    const token = newToken();
    await tx.signUpRequest.create({
      data: {
        poleId: input.pole.id,
        email,
        name: input.name,
        organisationName: input.organisationName || null,
        passwordHash,
        followUpKind: input.followUp?.kind ?? null,
        followUpPayload: input.followUp?.payload,
        tokenHash: digestToken(token),
        createdAt: input.now,
        expiresAt: new Date(input.now.getTime() + SIGN_UP_LINK_HOURS * 3_600_000),
      },
    });
    const url = `${appUrl()}/inscription/confirmer?jeton=${encodeURIComponent(token)}`;
    const confirm = confirmSignUpEmail({
      poleName: input.pole.name,
      name: input.name,
      url,
      validHours: SIGN_UP_LINK_HOURS,
      purpose: followUp?.purpose,
    });
    return ok({ emails: [{ poleId: input.pole.id, to: email, ...confirm }] });
  });
}

type LinkRefusal = "TOKEN_INVALID" | "TOKEN_USED" | "TOKEN_EXPIRED" | "TOKEN_REPLACED";

const used = () =>
  fail("TOKEN_USED", "Ce lien a déjà servi. Si votre compte est créé, connectez-vous.", { status: 410 });

function linkRefusal(record: SignUpRequest | null, now: Date) {
  if (!record)
    return fail(
      "TOKEN_INVALID",
      "Ce lien de confirmation n'est pas valide : copiez l'adresse entière reçue par email.",
      { status: 400 },
    );
  if (record.usedAt) return used();
  if (record.replacedAt)
    return fail(
      "TOKEN_REPLACED",
      "Ce lien a été remplacé par un lien plus récent : utilisez celui du dernier email reçu.",
      { status: 410 },
    );
  if (record.expiresAt <= now)
    return fail("TOKEN_EXPIRED", "Ce lien a expiré. Recommencez votre inscription pour en recevoir un nouveau.", {
      status: 410,
    });
  return null;
}

/** What the confirmation page shows before the person confirms; reads only (mail scanners open links). */
export async function pendingSignUp(
  tx: Client,
  input: { token: string; now: Date; followUps: SignUpFollowUps },
): Promise<
  Result<{ email: string; name: string; requestedAt: Date; confirmLabel: string; purpose: string | null }, LinkRefusal>
> {
  const record = await tx.signUpRequest.findUnique({ where: { tokenHash: digestToken(input.token) } });
  const refusal = linkRefusal(record, input.now);
  if (refusal) return refusal;
  const followUp = record!.followUpKind ? input.followUps[record!.followUpKind] : undefined;
  return ok({
    email: record!.email,
    name: record!.name,
    requestedAt: record!.createdAt,
    confirmLabel: followUp?.confirmLabel ?? "Confirmer et créer mon compte",
    purpose: followUp?.purpose ?? null,
  });
}

type ConfirmedSignUp = {
  personId: string;
  redirectTo: string;
  emails: EmailMessage[];
  /** What became of the follow-up: done, refused (the account stands alone) or none asked. */
  followUp: "DONE" | "REFUSED" | "NONE";
};

/**
 * Confirms the address: the password chosen at sign-up must be typed again, then the link is used once, the
 * account is created if the address is still free, and the follow-up runs. Returns where to send the person
 * (logged in) and the emails to send after commit.
 */
export async function confirmSignUp(
  client: Client,
  input: { token: string; password: string; now: Date; followUps: SignUpFollowUps },
): Promise<Result<ConfirmedSignUp, LinkRefusal | "WRONG_PASSWORD" | "EMAIL_TAKEN">> {
  const record = await client.signUpRequest.findUnique({
    where: { tokenHash: digestToken(input.token) },
    include: { pole: { select: { id: true, name: true } } },
  });
  const refusal = linkRefusal(record, input.now);
  if (refusal) return refusal;
  const request = record!;
  // Whoever fills the form chooses the password, whoever holds the mailbox clicks: without this check anyone could
  // sign up with someone else's address and their own password, and the owner's click would open it for them.
  // Checked before the transaction (argon2 takes tens of milliseconds) and before the claim, so a wrong password
  // leaves the link as it was.
  if (!(await verifyPassword(request.passwordHash, input.password))) return wrongPassword();

  return inTransaction(client, async (tx) => {
    // The guard on usedAt and replacedAt makes a double click, or a newer link sent meanwhile, create nothing twice.
    const claimed = await tx.signUpRequest.updateMany({
      where: { id: request.id, usedAt: null, replacedAt: null },
      data: { usedAt: input.now },
    });
    if (claimed.count === 0) return used();

    const person = await createPerson(tx, request);
    // Other live links for this address stay as they are: they will answer that the address is taken. Retiring
    // them here would lock their rows while their own confirmation waits on this insert: a deadlock.
    if (!person) return emailTaken();

    const welcome = welcomeEmail({ poleName: request.pole.name, name: person.name, url: `${appUrl()}/compte` });
    const emails: EmailMessage[] = [{ poleId: request.poleId, to: person.email, ...welcome }];
    const followUp = request.followUpKind ? input.followUps[request.followUpKind] : undefined;
    if (!followUp) return ok({ personId: person.id, redirectTo: WELCOME_PATH, emails, followUp: "NONE" as const });

    // A refused follow-up leaves the account made: the person retries it from its page.
    const done = await withSavepoint(
      tx,
      "sign_up_follow_up",
      () => followUp.run(tx, { pole: request.pole, person, payload: request.followUpPayload, now: input.now }),
      (result) => !result.ok,
    );
    if (!done.ok) {
      return ok({ personId: person.id, redirectTo: followUp.retryPath, emails, followUp: "REFUSED" as const });
    }
    return ok({
      personId: person.id,
      redirectTo: done.value.redirectTo,
      emails: [...emails, ...done.value.emails],
      followUp: "DONE" as const,
    });
  });
}

// Also read by someone who never asked for the account (an attacker typed their address): it tells them to let it be.
const wrongPassword = () =>
  fail(
    "WRONG_PASSWORD",
    "Ce n'est pas le mot de passe choisi lors de l'inscription. Si vous n'avez pas demandé ce compte, ignorez ce lien.",
    { field: "password", status: 422 },
  );

/** The account, or null when the address was taken since the request (the unique index decides a race). */
async function createPerson(tx: Tx, request: SignUpRequest) {
  if (await tx.person.findUnique({ where: { email: request.email }, select: { id: true } })) return null;
  try {
    return await withSavepoint(tx, "sign_up_person", () =>
      tx.person.create({
        data: {
          email: request.email,
          name: request.name,
          organisationName: request.organisationName,
          passwordHash: request.passwordHash,
          memberships: { create: { poleId: request.poleId, role: "USER" } },
        },
        select: { id: true, name: true, email: true },
      }),
    );
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return null;
  }
}

// Whoever holds the link owns the mailbox, so saying the address has an account tells them nothing new.
const emailTaken = () =>
  fail(
    "EMAIL_TAKEN",
    "Un compte existe déjà avec cette adresse email. Connectez-vous, ou choisissez un nouveau mot de passe si vous l'avez oublié.",
    { status: 409 },
  );
