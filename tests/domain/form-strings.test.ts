import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { ProfileSchema } from "~/domain/identity/schemas";
import { ApplicationSchema } from "~/domain/leasing/schemas";
import { CONTROL_CHARACTERS_MESSAGE } from "~/utils/validation";

// Control characters are refused at the form boundary, with a French message on the field, by the one string
// type every form schema uses.

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.append(name, value);
  return data;
};

describe("form strings", () => {
  it("refuse a NUL byte and the other control characters with a field-level French message", () => {
    for (const bad of ["a\u0000b", "a\u0007b", "nom\u001b[31m", "a\u007fb", "deux\nlignes", "tab\tulé"]) {
      const submission = parseWithZod(form({ name: bad, phone: "", organisationName: "" }), { schema: ProfileSchema });
      expect(submission.status, JSON.stringify(bad)).toBe("error");
      expect(submission.status === "error" && submission.error?.name).toContain(CONTROL_CHARACTERS_MESSAGE);
    }
  });

  it("let a textarea keep its line breaks and tabs, and nothing else invisible", () => {
    const fields = {
      plotIds: "",
      minSurfaceM2: "500",
      desiredStartOn: "2027-03-01",
      leaseKind: "ESPACE_TEST",
      idempotencyKey: "cle-de-formulaire",
    };
    const good = parseWithZod(
      form({ ...fields, project: "Maraîchage diversifié :\r\n\t- légumes\n\t- petits fruits" }),
      { schema: ApplicationSchema },
    );
    expect(good.status).toBe("success");
    const bad = parseWithZod(form({ ...fields, project: "Maraîchage diversifié\u0000 en agroécologie" }), {
      schema: ApplicationSchema,
    });
    expect(bad.status === "error" && bad.error?.project).toContain(CONTROL_CHARACTERS_MESSAGE);
  });

  it("are the only strings the app's schemas are built from", async () => {
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== "generated") await walk(file);
        } else if (
          /\.tsx?$/.test(entry.name) &&
          !["app/utils/validation.ts", "app/utils/env.server.ts"].includes(file)
        ) {
          const source = await readFile(file, "utf8");
          if (/\bz\s*\.\s*(coerce\s*\.\s*)?string\s*\(/.test(source)) offenders.push(file);
        }
      }
    };
    await walk("app");
    expect(offenders, "use text() or multilineText() from ~/utils/validation").toEqual([]);
  });
});
