import type { Client } from "~/utils/db.server";
import type { z } from "zod";
import type { PoleSettingsSchema } from "./gestion-schemas";
import { parseDayHours, WEEKDAYS } from "./opening-hours";

export type PoleSettingsInput = z.output<typeof PoleSettingsSchema>;

export function updatePoleSettings(tx: Client, poleId: string, input: PoleSettingsInput) {
  const openingHours = Object.fromEntries(
    WEEKDAYS.map(({ key }) => {
      const parsed = parseDayHours(input[`hours_${key}`] ?? "");
      // The form schema has already refused malformed hours; this only turns text into ranges.
      return [key, parsed.ok ? parsed.ranges : []];
    }),
  );
  return tx.pole.update({
    where: { id: poleId },
    data: {
      name: input.name,
      legalName: input.legalName,
      legalForm: input.legalForm,
      capitalVariable: input.capitalVariable,
      siren: input.siren || null,
      rcsCity: input.rcsCity || null,
      vatNumber: input.vatNumber || null,
      paymentTermDays: input.paymentTermDays,
      latePenaltyRate: input.latePenaltyRate,
      addressLine: input.addressLine,
      postalCode: input.postalCode,
      city: input.city,
      tagline: input.tagline ?? "",
      description: input.description ?? "",
      openingHours,
      taxReceiptEligible: input.taxReceiptEligible,
      registerVisibleToMembers: input.registerVisibleToMembers,
      pledgeGraceDays: input.pledgeGraceDays,
      bankIban: input.bankIban || null,
      bankBic: input.bankBic || null,
    },
  });
}
