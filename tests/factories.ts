import type { OrganisationKind, Role } from "~/generated/prisma/client";
import { hashPassword } from "~/domain/identity/index.server";
import { installChartOfAccounts } from "~/domain/ledger/index.server";
import type { Tx } from "~/utils/db.server";

// Builders shared by the tests and the demo seed. Each one upserts on its natural key (slug, email, name), so
// the seed can run twice without changing anything and tests get fresh rows from unique defaults.
let counter = 0;
const next = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export const DEFAULT_OPENING_HOURS = {
  mon: [{ open: "08:30", close: "18:30" }],
  tue: [{ open: "08:30", close: "18:30" }],
  wed: [{ open: "08:30", close: "18:30" }],
  thu: [{ open: "08:30", close: "18:30" }],
  fri: [{ open: "08:30", close: "17:30" }],
  sat: [],
  sun: [],
};

export async function createPole(tx: Tx, overrides: Partial<{ slug: string; name: string; legalName: string; siren: string | null; vatNumber: string | null; addressLine: string; postalCode: string; city: string; tagline: string; description: string; siteHectares: number; axes: { title: string; text: string }[] }> = {}) {
  const slug = overrides.slug ?? `pole-${next()}`;
  const data = {
    slug,
    name: overrides.name ?? `Pôle ${slug}`,
    legalName: overrides.legalName ?? `SCIC ${slug}`,
    siren: overrides.siren ?? null,
    vatNumber: overrides.vatNumber ?? null,
    addressLine: overrides.addressLine ?? "1 chemin des Champs",
    postalCode: overrides.postalCode ?? "31450",
    city: overrides.city ?? "Montgiscard",
    tagline: overrides.tagline ?? "",
    description: overrides.description ?? "",
    siteHectares: overrides.siteHectares ?? 0,
    axes: overrides.axes ?? [],
    openingHours: DEFAULT_OPENING_HOURS,
  };
  const pole = await tx.pole.upsert({ where: { slug }, create: data, update: {} });
  await installChartOfAccounts(tx, pole.id);
  return pole;
}

export async function createOrganisation(tx: Tx, input: { poleId: string; name?: string; kind?: OrganisationKind; isMember?: boolean; city?: string; description?: string }) {
  const name = input.name ?? `Organisation ${next()}`;
  return tx.organisation.upsert({
    where: { poleId_name: { poleId: input.poleId, name } },
    create: { poleId: input.poleId, name, kind: input.kind ?? "ASSOCIATION", isMember: input.isMember ?? true, city: input.city, description: input.description ?? "" },
    update: {},
  });
}

export const DEFAULT_TEST_PASSWORD = "mot-de-passe-de-test";

export async function createPerson(
  tx: Tx,
  input: { poleId: string; role?: Role; email?: string; name?: string; password?: string; organisationId?: string; organisationName?: string },
) {
  const email = (input.email ?? `personne-${next()}@exemple.test`).toLowerCase();
  const existing = await tx.person.findUnique({ where: { email } });
  const person =
    existing ??
    (await tx.person.create({
      data: {
        email,
        name: input.name ?? `Personne ${next()}`,
        organisationName: input.organisationName,
        passwordHash: await hashPassword(input.password ?? DEFAULT_TEST_PASSWORD),
      },
    }));
  const membership = await tx.membership.upsert({
    where: { poleId_personId: { poleId: input.poleId, personId: person.id } },
    create: { poleId: input.poleId, personId: person.id, role: input.role ?? "USER", organisationId: input.organisationId },
    update: {},
  });
  return { ...person, membership };
}
