import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as login from "~/routes/connexion";
import { safeRedirect } from "~/utils/validation";
import { db } from "~/utils/db.server";
import { createPerson, createPole, DEFAULT_TEST_PASSWORD } from "../factories";
import { callRoute, makeRequest, resetDatabase, sessionCookie } from "../helpers";

// Where the login sends a person afterwards: whatever `redirectTo` holds, the browser must stay on our origin.

const OURS = "https://pole.example";
// The pieces open redirects are made of: slashes and backslashes, dot segments, control and invisible
// characters, their encoded forms, scheme and authority punctuation, look-alike slashes.
const PIECES = [
  "/",
  "//",
  "\\",
  "/\\",
  ".",
  "..",
  "./",
  "\t",
  "\n",
  "\r",
  "\u0000",
  "\u007f",
  " ",
  "%09",
  "%0A",
  "%0D",
  "%2F",
  "%2f",
  "%5C",
  "%2E",
  "%00",
  "%",
  "@",
  ":",
  "?",
  "#",
  "&",
  "=",
  "evil.example",
  "http:",
  "https:",
  "javascript:",
  "data:",
  "compte",
  "é",
  "\u2028",
  "\ufeff",
  "\u200b",
  "\uff0f",
  "\u2215",
  "\u3002",
  "\ud83d\ude00",
  "a",
];
const built = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(""));
const candidates = fc.oneof(
  built,
  built.map((s) => `/${s}`),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.webUrl(),
  fc.webPath(),
);

function staysHome(result: string) {
  expect(new URL(result, OURS).origin).toBe(OURS);
  expect(result.startsWith("/") && !result.startsWith("//") && !result.startsWith("/\\")).toBe(true);
  // Printable ASCII only: a Location header takes it as it is, and no browser strips or rewrites any of it.
  expect(result).toMatch(/^[\x21-\x7e]+$/);
  expect(() => new Headers({ Location: result })).not.toThrow();
}

describe("safeRedirect", () => {
  it("always gives a path of our own origin, whatever string it is fed", () => {
    fc.assert(
      fc.property(candidates, (input) => staysHome(safeRedirect(input))),
      { numRuns: 20_000 },
    );
  });

  it("refuses the probe's tab and the known tricks, and keeps an ordinary path with its query and anchor", () => {
    for (const trick of [
      "/\t/evil.example",
      "//evil.example",
      "/\\evil.example",
      "/.//evil.example",
      "/./\\evil.example",
      "/\n/evil.example",
      "https://evil.example",
      "/%09/../..//evil.example",
    ]) {
      expect(new URL(safeRedirect(trick), OURS).origin, JSON.stringify(trick)).toBe(OURS);
    }
    expect(safeRedirect("/\t/evil.example")).toBe("/compte");
    expect(safeRedirect("/.//evil.example")).toBe("/compte");
    expect(safeRedirect("/compte/reservations/abc?paiement=retour#recu")).toBe(
      "/compte/reservations/abc?paiement=retour#recu",
    );
    expect(safeRedirect("/espaces/salle-é")).toBe("/espaces/salle-%C3%A9");
    expect(safeRedirect(null)).toBe("/compte");
  });
});

describe("the login page's redirect", () => {
  it("sends a logged-in person home rather than to the probe's address, and so does the login itself", async () => {
    await resetDatabase();
    const pole = await createPole(db);
    const person = await createPerson(db, { poleId: pole.id, email: "redirige@exemple.test" });
    const evil = "/connexion?redirectTo=%2F%09%2Fevil.example";
    const page = await callRoute(login.loader, makeRequest(evil, { cookie: await sessionCookie(person.id) }));
    expect(page.headers.get("Location")).toBe("/compte");
    const posted = await callRoute(
      login.action,
      makeRequest("/connexion", {
        form: {
          email: "redirige@exemple.test",
          password: DEFAULT_TEST_PASSWORD,
          redirectTo: "/\t/evil.example",
          site_web: "",
        },
      }),
    );
    expect(posted.status).toBe(302);
    expect(posted.headers.get("Location")).toBe("/compte");
    const newline = await callRoute(
      login.loader,
      makeRequest("/connexion?redirectTo=%2Fcompte%0AX-Evil:%201", { cookie: await sessionCookie(person.id) }),
    );
    expect(newline.headers.get("Location")).toBe("/compte");
  });
});
