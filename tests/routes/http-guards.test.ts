import { request as httpRequest } from "node:http";
import { Readable } from "node:stream";
import type { ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { LedgerError } from "~/domain/ledger/index.server";
import { answeringBadInput } from "~/http/bad-input.server";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { resetDatabase, sessionCookie } from "../helpers";
import { useHttpServer } from "../http-server";

// The guards of the HTTP layer, through the real server: our own same-origin check on every request that can
// change something (pages, `_data` requests, resource routes), addresses with control characters, the body cap
// counted as bytes arrive, the security headers, and malformed data answered 400 rather than 500.

const server = useHttpServer({ APP_URL: "https://pole.example" });
const behindProxy = useHttpServer({ TRUST_PROXY: true });
let staffCookie = "";
let userCookie = "";
let userId = "";

beforeAll(async () => {
  await resetDatabase();
  const pole = await createPole(db);
  staffCookie = await sessionCookie((await createPerson(db, { poleId: pole.id, role: "ADMIN" })).id);
  userId = (await createPerson(db, { poleId: pole.id, role: "USER" })).id;
  userCookie = await sessionCookie(userId);
});

const post = (
  path: string,
  headers: Record<string, string>,
  form: Record<string, string> = {},
  base = server.baseUrl,
) =>
  fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });

const roleOf = async (personId: string) => (await db.membership.findFirstOrThrow({ where: { personId } })).role;

describe("a request that can change something, from another site", () => {
  it("is refused with 403 on a `_data` request, which Remix's own check lets through, and changes nothing", async () => {
    const response = await post(
      `/gestion/personnes/${userId}?_data=routes%2Fgestion%2B%2Fpersonnes.%24personId`,
      { Cookie: staffCookie, Origin: "https://evil.example" },
      { role: "STAFF" },
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      message: "Cette demande ne vient pas de ce site : elle a été refusée. Rechargez la page et recommencez.",
    });
    expect(await roleOf(userId)).toBe("USER");
  });

  it("is refused with 403 on a resource route (the calendar feed) and on a page, never a 500", async () => {
    const feed = await post(
      "/compte/calendrier",
      { Cookie: userCookie, Origin: "https://evil.example" },
      { intent: "renew" },
    );
    expect(feed.status).toBe(403);
    expect(await db.calendarFeed.count({ where: { personId: userId } })).toBe(0);
    const page = await post(
      "/compte?index",
      { Cookie: userCookie, Origin: "https://evil.example", Accept: "text/html" },
      { name: "Nom changé" },
    );
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("Cette demande ne vient pas de ce site");
  });

  it("is refused when the Origin is `null`, when only a foreign Referer tells, or when the browser says cross-site", async () => {
    const cookie = { Cookie: userCookie };
    expect((await post("/compte/calendrier", { ...cookie, Origin: "null" }, { intent: "renew" })).status).toBe(403);
    expect(
      (await post("/compte/calendrier", { ...cookie, Referer: "https://evil.example/page" }, { intent: "renew" }))
        .status,
    ).toBe(403);
    expect(
      (await post("/compte/calendrier", { ...cookie, "Sec-Fetch-Site": "cross-site" }, { intent: "renew" })).status,
    ).toBe(403);
    expect(await db.calendarFeed.count({ where: { personId: userId } })).toBe(0);
  });

  it("passes from the app's own origin, from APP_URL's, with a same-origin Referer, or from no browser at all", async () => {
    const cookie = { Cookie: userCookie };
    expect((await post("/compte/calendrier", { ...cookie, Origin: server.baseUrl }, { intent: "renew" })).status).toBe(
      302,
    );
    expect(
      (await post("/compte/calendrier", { ...cookie, Origin: "https://pole.example" }, { intent: "renew" })).status,
    ).toBe(302);
    expect(
      (await post("/compte/calendrier", { ...cookie, Referer: `${server.baseUrl}/compte` }, { intent: "renew" }))
        .status,
    ).toBe(302);
    expect((await post("/compte/calendrier", cookie, { intent: "revoke" })).status).toBe(302);
  });

  it("leaves the Stripe webhook to its signature", async () => {
    const response = await post("/webhooks/stripe", { Origin: "https://stripe.example" });
    expect(response.status).not.toBe(403);
    expect(response.status).toBeLessThan(500);
  });

  it("is judged on the forwarded scheme and host only when TRUST_PROXY says the proxy is ours", async () => {
    const forwarded = {
      Cookie: userCookie,
      Origin: "https://public.example",
      "X-Forwarded-Proto": "https",
      "X-Forwarded-Host": "public.example",
    };
    expect((await post("/compte/calendrier", forwarded, { intent: "renew" }, behindProxy.baseUrl)).status).toBe(302);
    expect((await post("/compte/calendrier", forwarded, { intent: "renew" })).status).toBe(403);
  });
});

describe("an address with a control character", () => {
  it("is answered 400 in French, in a path parameter, in a query or a redirectTo", async () => {
    for (const path of [
      "/gestion/espaces/%00",
      "/gestion/personnes/a%00b",
      "/connexion?redirectTo=%2F%0Aevil",
      "/connexion?redirectTo=%0D",
      "/espaces?x=%1F",
      "/gestion/personnes/%E0%A4%A",
    ]) {
      const response = await fetch(`${server.baseUrl}${path}`, {
        headers: { Cookie: staffCookie },
        redirect: "manual",
      });
      expect(response.status, path).toBe(400);
      expect(await response.text()).toMatch(/Cette adresse (contient des caractères non autorisés|est mal formée)/);
    }
  });
});

describe("a request no route could answer", () => {
  const raw = (options: { method?: string; host?: string; path?: string }) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(server.baseUrl);
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: options.path ?? "/",
          method: options.method ?? "GET",
          headers: options.host ? { Host: options.host } : {},
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end();
    });

  it("answers 405 to an unknown method and 400 to a Host no address can be built from, never 500", async () => {
    expect(await raw({ method: "TRACE" })).toBe(405);
    expect(await raw({ method: "PROPFIND", path: "/compte" })).toBe(405);
    for (const host of ["a b", "[", "pole.example:99999"]) expect(await raw({ host }), host).toBe(400);
  });

  it("reads a query's stray percent sign the tolerant way (an outside link), yet refuses one in the path", async () => {
    expect((await fetch(`${server.baseUrl}/espaces?utm=50%off`)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/espaces/poste%E0`)).status).toBe(400);
  });
});

describe("the body cap", () => {
  it("refuses a declared oversized body at once", async () => {
    const response = await fetch(`${server.baseUrl}/inscription`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "a".repeat(1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("Requête trop volumineuse.");
  });

  it("counts a chunked body as it arrives and stops reading at 1 MB, not after 50 MB", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= 50 * 1024 * 1024) return this.push(null);
        sent += chunk.length;
        this.push(chunk);
      },
    });
    const url = new URL(`${server.baseUrl}/inscription`);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
        },
        (response) => {
          resolve(response.statusCode ?? 0);
          response.resume();
          body.destroy();
          request.destroy();
        },
      );
      // The server closing while we still write is expected once it has answered.
      request.on("error", (error) => (sent > 0 ? undefined : reject(error)));
      body.pipe(request);
    });
    expect(status).toBe(413);
    // What was written before the answer: the cap plus what the sockets' buffers hold, far from 50 MB.
    expect(sent).toBeLessThan(12 * 1024 * 1024);
  });

  it("lets a chunked body under the cap through to the form", async () => {
    const form = new URLSearchParams({ email: "personne@exemple.test", password: "x" }).toString();
    // A stream body has no length: fetch sends it chunked.
    const body = new ReadableStream({
      start: (controller) => (controller.enqueue(new TextEncoder().encode(form)), controller.close()),
    });
    const response = await fetch(`${server.baseUrl}/connexion`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
      duplex: "half",
    } as RequestInit);
    // The form was read whole: the login itself answers (no such account).
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Email ou mot de passe incorrect.");
  });
});

describe("conform's reserved fields and list indexes", () => {
  it("answer 400 when forged, never 500 nor a billion-long array", async () => {
    const form = { email: "personne@exemple.test", password: "une phrase de passe" };
    const forgeries: Record<string, string>[] = [
      { __intent__: "ab" },
      { __intent__: '{"type":"mystery","payload":{}}' },
      { __intent__: '{"type":"insert","payload":{"name":"lines","index":1000000000}}' },
      { __state__: "{" },
      { "lines[1000000000].account": "512000" },
    ];
    for (const forged of forgeries) {
      const response = await post("/connexion", {}, { ...form, ...forged });
      expect(response.status, JSON.stringify(forged)).toBe(400);
      expect(await response.text()).toContain("Le formulaire envoyé est illisible.");
    }
    // Conform's own list buttons still reach the form, which answers them with its reply (no redirect).
    const insert = await post(
      "/connexion",
      {},
      { ...form, __intent__: '{"type":"insert","payload":{"name":"lines"}}' },
    );
    expect(insert.status).toBeLessThan(500);
    expect(await insert.text()).not.toContain("Le formulaire envoyé est illisible.");
  });
});

describe("security headers", () => {
  it("are on pages, files and refusals", async () => {
    const answers = await Promise.all([
      fetch(`${server.baseUrl}/`),
      fetch(`${server.baseUrl}/favicon.svg`),
      post("/compte/calendrier", { Origin: "https://evil.example" }),
      fetch(`${server.baseUrl}/espaces?x=%00`),
    ]);
    for (const response of answers) {
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("permissions-policy")).toContain("camera=()");
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("add HSTS when the request came over HTTPS through a trusted proxy", async () => {
    const response = await fetch(`${behindProxy.baseUrl}/`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
  });
});

/** Runs `loader` as the one route of a build passed through the HTTP layer's guard. */
function guarded(loader: () => Promise<unknown>) {
  const build = {
    routes: { "routes/probe": { id: "routes/probe", path: "probe", module: { loader } } },
  } as unknown as ServerBuild;
  return Promise.resolve(answeringBadInput(build).routes["routes/probe"].module.loader!({} as never));
}

describe("malformed data that reaches the database", () => {
  it("is answered 400 in French and logged, never a 500", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const loader = async () => db.$queryRaw`SELECT ${"a\u0000b"}::text AS value`;
    const thrown = await guarded(loader).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(400);
    expect(await (thrown as Response).json()).toEqual({
      message: "Les données envoyées ne sont pas valides : vérifiez le formulaire et réessayez.",
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("22021"));
    warn.mockRestore();
  });

  it("answers a domain refusal thrown past every result with its own status and French message", async () => {
    const loader = async () => {
      throw new LedgerError("CLOSED_PERIOD", "L'exercice qui contient le 6 décembre 2026 est clôturé.", "date");
    };
    const thrown = await guarded(loader).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(409);
    expect(await (thrown as Response).json()).toEqual({
      message: "L'exercice qui contient le 6 décembre 2026 est clôturé.",
    });
  });

  it("lets any other failure through as it was", async () => {
    const loader = async () => db.$queryRaw`SELECT * FROM "NoSuchTable"`;
    await expect(guarded(loader)).rejects.toThrow(/NoSuchTable/);
  });
});
