import { json, type ServerBuild } from "@remix-run/node";
import { isRefusal } from "~/domain/result";
import { sqlState } from "~/utils/db-errors.server";

// The last line of defence. A domain Refusal thrown past every result answers its own status and French message.
// Forms are validated by zod first, but should a value the schema let through be refused by PostgreSQL as
// malformed data (a NUL byte 22021, a bad number 22P02, out of range 22003, any other data exception of class 22,
// a CHECK 23514), the person gets a 400 in French, never a 500 — and we get a log line.

const PRISMA_DATA_ERRORS = new Set(["P2000", "P2006", "P2007", "P2019", "P2020", "P2023"]);

export function isBadInputError(error: unknown) {
  const state = sqlState(error);
  if (state) return state.startsWith("22") || state === "23514";
  return PRISMA_DATA_ERRORS.has((error as { code?: string } | null)?.code ?? "");
}

type Handler = (args: never) => unknown;

function answered<F extends Handler>(routeId: string, fn: F): F {
  return (async (args: never) => {
    try {
      return await fn(args);
    } catch (error) {
      // A domain refusal no command result carried (runCommand turns those it meets into results).
      if (isRefusal(error)) throw json({ message: error.message }, { status: error.status });
      if (!isBadInputError(error)) throw error;
      console.warn(
        `Données refusées par la base (${sqlState(error) ?? (error as { code?: string }).code}) dans ${routeId} : réponse 400.`,
      );
      throw json(
        { message: "Les données envoyées ne sont pas valides : vérifiez le formulaire et réessayez." },
        { status: 400 },
      );
    }
  }) as F;
}

/** The same build, each route's loader and action answering malformed data with 400. */
export function answeringBadInput(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const { loader, action } = route.module;
      const module = {
        ...route.module,
        ...(loader ? { loader: answered(id, loader) } : {}),
        ...(action ? { action: answered(id, action) } : {}),
      };
      return [id, { ...route, module }];
    }),
  );
  return { ...build, routes };
}
