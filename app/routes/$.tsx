import type { LoaderFunctionArgs } from "@remix-run/node";

// Any unknown address: a French 404 rendered by the root error boundary.
export function loader(_: LoaderFunctionArgs) {
  throw new Response("Page introuvable", { status: 404 });
}

export default function NotFound() {
  return null;
}
