import { hashPassword } from "~/domain/identity/index.server";
import type { Client } from "~/utils/db.server";

// The demo's citizens: people with accounts on the pole (USER), made once by email, shared by the streams' demos.

export const CITIZEN_PASSWORD = "demo-citoyen-2026";

const FIRST_NAMES = [
  "Camille",
  "Louis",
  "Manon",
  "Hugo",
  "Léa",
  "Gabriel",
  "Chloé",
  "Arthur",
  "Inès",
  "Jules",
  "Zoé",
  "Nathan",
  "Alice",
  "Raphaël",
  "Lina",
  "Paul",
  "Emma",
  "Adam",
  "Jade",
  "Sacha",
  "Rose",
  "Tom",
  "Anna",
  "Noé",
  "Mila",
];
const LAST_NAMES = [
  "Martin",
  "Bernard",
  "Dubois",
  "Garcia",
  "Roux",
  "Fabre",
  "Rey",
  "Mercier",
  "Bonnet",
  "Lambert",
  "Fontaine",
  "Faure",
  "Rousseau",
  "Blanc",
  "Guerin",
  "Muller",
  "Henry",
  "Perrin",
  "Morel",
  "Girard",
];

/** `count` citizens of the pole (the same ones at each run and for each stream: by email). */
export async function demoCitizens(tx: Client, poleId: string, count: number) {
  const passwordHash = await hashPassword(CITIZEN_PASSWORD);
  const people = Array.from({ length: count }, (_, i) => {
    const first = FIRST_NAMES[i % FIRST_NAMES.length];
    const last = LAST_NAMES[(i * 7) % LAST_NAMES.length];
    const email = `${first}.${last}.${i}@exemple.demo`
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
    return { email, name: `${first} ${last}`, passwordHash };
  });
  await tx.person.createMany({ data: people, skipDuplicates: true });
  const found = await tx.person.findMany({
    where: { email: { in: people.map((p) => p.email) } },
    select: { id: true, email: true },
  });
  const ids = new Map(found.map((p) => [p.email, p.id]));
  await tx.membership.createMany({
    data: people.map((p) => ({ poleId, personId: ids.get(p.email)!, role: "USER" as const })),
    skipDuplicates: true,
  });
  return people.map((p) => ids.get(p.email)!);
}
