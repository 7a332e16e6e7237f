import { z } from "zod";

// NODE_ENV is the build mode (React/Remix optimisations, no stack traces when "production");
// APP_ENV is the deployment: only APP_ENV=production demands real secrets, so `npm start` on a fresh machine
// runs the optimised build with safe local defaults (decision 002).
const DEV_SESSION_SECRET = "terrain-commun-local-session-secret-not-for-production";

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    APP_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    APP_URL: z.url().optional(),
    // Behind a reverse proxy: "true", a hop count or the proxies' addresses (Express's `trust proxy`), so the
    // scheme (Secure cookies), host (same-origin check) and client address (rate limits) come from X-Forwarded-*.
    TRUST_PROXY: z
      .string()
      .optional()
      .transform((v) =>
        v === undefined || v === "" || v === "false" ? false : v === "true" ? true : /^\d+$/.test(v) ? Number(v) : v,
      ),
    DATABASE_URL: z.string().min(1).optional(),
    EMBEDDED_DATA_DIR: z.string().default(".data/pglite"),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET doit compter au moins 32 caractères").optional(),
    SMTP_URL: z.string().min(1).optional(),
    MAIL_FROM: z.string().default("Terrain Commun <ne-pas-repondre@terrain-commun.local>"),
    DEFAULT_POLE_SLUG: z.string().optional(),
    SEED_DEMO: z.enum(["true", "false"]).default("true"),
    RATE_LIMIT_MAX: z.coerce.number().int().positive().default(10),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
    // Without Stripe keys, card payment is off and people pay on site (staff confirm): decision 007.
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, "STRIPE_SECRET_KEY doit commencer par sk_test_, sk_live_, rk_test_ ou rk_live_")
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .startsWith("whsec_", "STRIPE_WEBHOOK_SECRET doit commencer par whsec_")
      .optional(),
    // How long one call to Stripe may take (the client tries three times). At most a minute: the sweep removes a
    // card payment left without its Checkout page after UNOPENED_CHECKOUT_MINUTES, when no request can still wait.
    STRIPE_TIMEOUT_MS: z.coerce
      .number()
      .int("STRIPE_TIMEOUT_MS est un nombre entier de millisecondes")
      .min(1, "STRIPE_TIMEOUT_MS va de 1 à 60000 millisecondes")
      .max(60_000, "STRIPE_TIMEOUT_MS va de 1 à 60000 millisecondes")
      .default(20_000),
    /** Seconds between two sweeps of expired holds, lapsed waiting lists and pending refunds (0: never). */
    HOUSEKEEPING_SECONDS: z.coerce.number().int().min(0).default(30),
  })
  .superRefine((env, ctx) => {
    // A key without the webhook secret would take money that is never confirmed: both or neither.
    if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
      const missing = env.STRIPE_SECRET_KEY ? "STRIPE_WEBHOOK_SECRET" : "STRIPE_SECRET_KEY";
      ctx.addIssue({ code: "custom", path: [missing], message: `${missing} est obligatoire avec l'autre clé Stripe` });
    }
    if (env.APP_ENV !== "production") return;
    for (const name of ["SESSION_SECRET", "APP_URL", "DATABASE_URL"] as const) {
      if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: `${name} est obligatoire en production` });
    }
  });

export type Env = z.infer<typeof EnvSchema> & { SESSION_SECRET: string; APP_URL: string };

let cached: Env | undefined;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`);
    throw new Error(`Configuration invalide :\n${lines.join("\n")}`);
  }
  const env = result.data;
  return {
    ...env,
    SESSION_SECRET: env.SESSION_SECRET ?? DEV_SESSION_SECRET,
    APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}`,
  };
}

export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Tests and the start-up script change process.env (e.g. the embedded database URL) before first use. */
export function resetEnvCache() {
  cached = undefined;
}

/** The app's public address without a trailing slash, for links in emails, feeds and Stripe's return pages. */
export const appUrl = () => getEnv().APP_URL.replace(/\/$/, "");
