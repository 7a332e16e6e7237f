import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { leaveSlotWaitlist } from "~/domain/booking/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { invalid } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { text, z } from "~/utils/validation";

const LeaveSchema = z.object({ entryId: text({ message: "Indiquez la liste d'attente à quitter." }).min(1) });

// Leaves a waiting list the person is on.
export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: LeaveSchema });
  if (submission.status !== "success") return invalid(submission);
  const left = await leaveSlotWaitlist(db, {
    poleId: pole.id,
    personId: person.id,
    entryId: submission.value.entryId,
    now: new Date(),
  });
  if (!left) httpError(404, "Cette inscription n'existe pas.");
  return redirect("/compte?attente=quittee#attente");
}

export const loader = () => redirect("/compte#attente");
