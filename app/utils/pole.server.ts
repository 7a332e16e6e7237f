import { db } from "./db.server";
import { getEnv } from "./env.server";

/**
 * The pole a request belongs to. One install can host several poles; until poles get their own host names the
 * install serves DEFAULT_POLE_SLUG, or the first pole created.
 */
export async function getPole() {
  const slug = getEnv().DEFAULT_POLE_SLUG;
  const pole = slug
    ? await db.pole.findUnique({ where: { slug } })
    : await db.pole.findFirst({ orderBy: { createdAt: "asc" } });
  if (!pole) throw new Response("Aucun pôle n'est configuré sur cette installation.", { status: 503 });
  return pole;
}
