import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { renewFeed, revokeFeed } from "~/domain/booking/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { invalid } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

const FeedSchema = z.object({ intent: z.enum(["renew", "revoke"], { message: "Action inconnue." }) });

// Creates, renews or revokes the person's private calendar address, then back to Mon compte.
export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: FeedSchema });
  if (submission.status !== "success") return invalid(submission);
  const input = { poleId: pole.id, personId: person.id, now: new Date() };
  if (submission.value.intent === "renew") await renewFeed(db, input);
  else await revokeFeed(db, input);
  return redirect(`/compte?agenda=${submission.value.intent === "renew" ? "nouveau" : "revoque"}#agenda`);
}

export const loader = () => redirect("/compte#agenda");
