import type { Plot } from "~/generated/prisma/client";
import { fail, ok, type Result } from "~/domain/result";
import type { Client } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";

// Staff manage the plots: surface, description, shape in the site plan, rent per hectare.

export type PlotInput = {
  code: string;
  name: string;
  surfaceM2: number;
  soil: string;
  waterAccess: string;
  shelter: string;
  currentUse: string;
  description: string;
  shapeId: string;
  rentPerHectareCents: number;
  active: boolean;
};

export async function savePlot(
  tx: Client,
  input: { poleId: string; plotId: string | null; data: PlotInput },
): Promise<Result<Plot>> {
  try {
    if (input.plotId) {
      const existing = await tx.plot.findFirst({
        where: { id: input.plotId, poleId: input.poleId },
        select: { id: true },
      });
      if (!existing) return fail("NOT_FOUND", "Cette parcelle n'existe pas.", { status: 404 });
      return ok(await tx.plot.update({ where: { id: existing.id }, data: input.data }));
    }
    return ok(await tx.plot.create({ data: { poleId: input.poleId, ...input.data } }));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const byCode = await tx.plot.findFirst({
      where: { poleId: input.poleId, code: input.data.code, NOT: { id: input.plotId ?? "" } },
      select: { id: true },
    });
    return byCode
      ? fail("CODE_TAKEN", "Une autre parcelle porte déjà ce code.", { field: "code", status: 409 })
      : fail("SHAPE_TAKEN", "Une autre parcelle utilise déjà cette forme du plan.", { field: "shapeId", status: 409 });
  }
}
