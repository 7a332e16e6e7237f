import type { OrganisationKind, Role } from "~/generated/prisma/client";
import { installChartOfAccounts, openFiscalYear, type IsoDate } from "~/domain/ledger/index.server";
import type { Client } from "~/utils/db.server";
import { DEFAULT_OPENING_HOURS, type OpeningHours } from "./opening-hours";
import { hashPassword } from "./passwords.server";

// Setting up a pole from code rather than from the back office: the demo seed and the tests' factories both
// build their data here. Each function creates what is missing and leaves what exists as it is (keyed by slug,
// email, name), so the demo seed can run again the same day and change nothing, and staff edits survive it.

export type PoleProfile = {
  slug: string;
  name: string;
  legalName: string;
  legalForm?: string;
  capitalVariable?: boolean;
  siren?: string | null;
  rcsCity?: string | null;
  vatNumber?: string | null;
  addressLine: string;
  postalCode: string;
  city: string;
  tagline?: string;
  description?: string;
  siteHectares?: number;
  axes?: { title: string; text: string }[];
  openingHours?: OpeningHours;
};

/** The pole's rules, which staff change later in the back office; the schema's defaults when left out. */
export type PoleRules = Partial<{
  offerDays: number;
  reconfirmMonths: number;
  reconfirmGraceDays: number;
  landRentVatOptIn: boolean;
  cancellationDeadlineHours: number;
  lateCancellationFeePercent: number;
  holdMinutes: number;
}>;

export type OrganisationProvision = {
  name: string;
  kind?: OrganisationKind;
  isMember?: boolean;
  siret?: string;
  address?: string;
  postalCode?: string;
  city?: string;
  description?: string;
};

export type PersonProvision = {
  email: string;
  name: string;
  password: string;
  role?: Role;
  organisationId?: string;
  organisationName?: string;
  address?: string;
  siren?: string;
};

/**
 * A pole ready to work: its profile and rules, the default chart of accounts, and — given a day — the fiscal
 * year holding it (the calendar year unless one exists); then its organisations and its accounts, an account
 * naming its organisation by `organisation` (one of those given). Returns the rows by name and by email.
 */
export async function provisionPole(
  tx: Client,
  input: {
    profile: PoleProfile;
    rules?: PoleRules;
    fiscalYearOn?: IsoDate;
    organisations?: readonly OrganisationProvision[];
    accounts?: readonly (Omit<PersonProvision, "organisationId"> & { organisation?: string })[];
  },
) {
  const { profile } = input;
  const data = {
    ...input.rules,
    slug: profile.slug,
    name: profile.name,
    legalName: profile.legalName,
    legalForm: profile.legalForm,
    capitalVariable: profile.capitalVariable,
    siren: profile.siren ?? null,
    rcsCity: profile.rcsCity ?? null,
    vatNumber: profile.vatNumber ?? null,
    addressLine: profile.addressLine,
    postalCode: profile.postalCode,
    city: profile.city,
    tagline: profile.tagline ?? "",
    description: profile.description ?? "",
    siteHectares: profile.siteHectares ?? 0,
    axes: profile.axes ?? [],
    openingHours: profile.openingHours ?? DEFAULT_OPENING_HOURS,
  };
  const pole = await tx.pole.upsert({ where: { slug: profile.slug }, create: data, update: {} });
  await installChartOfAccounts(tx, pole.id);
  const fiscalYear = input.fiscalYearOn ? await openFiscalYear(tx, { poleId: pole.id, day: input.fiscalYearOn }) : null;

  const organisations = new Map<string, Awaited<ReturnType<typeof provisionOrganisation>>>();
  for (const org of input.organisations ?? [])
    organisations.set(org.name, await provisionOrganisation(tx, { poleId: pole.id, ...org }));
  const people = new Map<string, Awaited<ReturnType<typeof provisionPerson>>>();
  for (const { organisation, ...account } of input.accounts ?? []) {
    const organisationId = organisation === undefined ? undefined : organisations.get(organisation)?.id;
    if (organisation !== undefined && !organisationId)
      throw new Error(`Le compte ${account.email} nomme une organisation inconnue : ${organisation}.`);
    people.set(account.email, await provisionPerson(tx, { poleId: pole.id, ...account, organisationId }));
  }
  return { pole, fiscalYear, organisations, people };
}

/** An organisation of the pole, by its name (unique within the pole). */
export function provisionOrganisation(tx: Client, input: OrganisationProvision & { poleId: string }) {
  return tx.organisation.upsert({
    where: { poleId_name: { poleId: input.poleId, name: input.name } },
    create: {
      poleId: input.poleId,
      name: input.name,
      kind: input.kind ?? "ASSOCIATION",
      isMember: input.isMember ?? true,
      siret: input.siret,
      address: input.address,
      postalCode: input.postalCode,
      city: input.city,
      description: input.description ?? "",
    },
    update: {},
  });
}

/**
 * A person (by email, one identity for every pole) and their membership of the pole. An existing person keeps
 * their name and password, an existing membership its role: provisioning never takes rights back or gives more.
 */
export async function provisionPerson(tx: Client, input: PersonProvision & { poleId: string }) {
  const email = input.email.toLowerCase();
  const person =
    (await tx.person.findUnique({ where: { email } })) ??
    (await tx.person.create({
      data: {
        email,
        name: input.name,
        organisationName: input.organisationName,
        address: input.address,
        siren: input.siren,
        passwordHash: await hashPassword(input.password),
      },
    }));
  const membership = await tx.membership.upsert({
    where: { poleId_personId: { poleId: input.poleId, personId: person.id } },
    create: {
      poleId: input.poleId,
      personId: person.id,
      role: input.role ?? "USER",
      organisationId: input.organisationId,
    },
    update: {},
  });
  return { ...person, membership };
}
