import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/utils/auth.server";

// Logging out changes state, so it is a POST; a GET (a typed URL, a prefetch) just goes home.
export const loader = () => redirect("/");
export const action = ({ request }: ActionFunctionArgs) => endSession(request);
