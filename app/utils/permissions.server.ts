import { json } from "@remix-run/node";
import type { Role } from "~/generated/prisma/client";
import { getViewer, loginRedirect } from "./auth.server";

// The single place that says who may do what. Every loader and action that needs a role calls
// requirePermission; the UI only hides what the server would refuse anyway.
export type Permission =
  | "backoffice"
  | "people:manage"
  | "roles:grant-staff"
  | "organisations:manage"
  | "settings:edit"
  | "emails:read"
  | "transparency:view"
  | "ledger:manage"
  | "ledger:close"
  | "spaces:manage"
  | "land:manage"
  | "crowdfunding:manage"
  | "training:manage";

const STAFF: readonly Permission[] = [
  "backoffice",
  "people:manage",
  "organisations:manage",
  "emails:read",
  "transparency:view",
  "ledger:manage",
  "spaces:manage",
  "land:manage",
  "crowdfunding:manage",
  "training:manage",
];

const GRANTS: Record<Role, readonly Permission[]> = {
  ADMIN: [...STAFF, "roles:grant-staff", "settings:edit", "ledger:close"],
  STAFF,
  MEMBER: ["transparency:view"],
  USER: [],
};

/** The refusal of the members' pages (transparency, the annual report): staff and admins read them too. */
export const MEMBERS_ONLY = "Cette page est réservée aux membres du pôle.";

export function can(role: Role | null | undefined, permission: Permission) {
  return role ? GRANTS[role].includes(permission) : false;
}

/**
 * The viewer when they hold the permission; otherwise a redirect to log in, or a 403 with no data and `refusal`
 * as its message (the back office's by default).
 */
export async function requirePermission(
  request: Request,
  permission: Permission,
  refusal = "Cette page est réservée à l'équipe du pôle.",
) {
  const viewer = await getViewer(request);
  if (!viewer.person || !viewer.membership) throw loginRedirect(request);
  if (!can(viewer.membership.role, permission)) throw json({ message: refusal }, { status: 403 });
  return { pole: viewer.pole, person: viewer.person, membership: viewer.membership };
}
