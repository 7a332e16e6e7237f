import { describe, expect, it } from "vitest";
import { formatIban, frenchVatNumber, isValidFrenchVat, isValidIban, isValidSiren } from "~/domain/identity/french-ids";
import { parseDayHours } from "~/domain/identity/opening-hours";
import { formatCents, formatDate } from "~/utils/format";

const spaces = (s: string) => s.replace(/[\u202f\u00a0]/g, " ");

describe("fr-FR formatting", () => {
  it("formats integer cents as euros", () => {
    expect(spaces(formatCents(123450))).toBe("1 234,50 €");
    expect(spaces(formatCents(5))).toBe("0,05 €");
    expect(spaces(formatCents(-9900))).toBe("-99,00 €");
    expect(() => formatCents(12.5)).toThrow(TypeError);
  });

  it("shows instants in Europe/Paris across daylight saving time", () => {
    expect(formatDate(new Date("2027-01-15T08:30:00Z"), "time")).toBe("09:30");
    expect(formatDate(new Date("2027-07-15T08:30:00Z"), "time")).toBe("10:30");
    expect(formatDate(new Date("2027-03-28T00:30:00Z"), "date")).toBe("28 mars 2027");
    expect(formatDate(new Date("2026-12-31T23:30:00Z"), "short")).toBe("01/01/2027");
  });
});

describe("French identifiers", () => {
  it("checks the SIREN key and derives the VAT number", () => {
    expect(isValidSiren("912345675")).toBe(true);
    expect(isValidSiren("912345678")).toBe(false);
    expect(isValidSiren("12345")).toBe(false);
    expect(frenchVatNumber("912345675")).toBe("FR65912345675");
    expect(isValidFrenchVat("FR 65 912345675", "912345675")).toBe(true);
    expect(isValidFrenchVat("FR66912345675")).toBe(false);
    expect(isValidFrenchVat("FR65912345675", "732829320")).toBe(false);
  });

  it("checks an IBAN's key and prints it in groups of four", () => {
    expect(isValidIban("FR76 3000 4000 0312 3456 7890 143")).toBe(true);
    expect(isValidIban("fr7630004000031234567890143")).toBe(true);
    expect(isValidIban("FR76 3000 4000 0312 3456 7890 144")).toBe(false);
    expect(isValidIban("FR76")).toBe(false);
    expect(formatIban("fr7630004000031234567890143")).toBe("FR76 3000 4000 0312 3456 7890 143");
  });
});

describe("opening hours", () => {
  it("reads one or more ranges per day", () => {
    expect(parseDayHours("08:30-12:30, 13:30-18:00")).toEqual({
      ok: true,
      ranges: [
        { open: "08:30", close: "12:30" },
        { open: "13:30", close: "18:00" },
      ],
    });
    expect(parseDayHours("  ")).toEqual({ ok: true, ranges: [] });
    expect(parseDayHours("Fermé")).toEqual({ ok: true, ranges: [] });
  });

  it("explains what is wrong in French", () => {
    expect(parseDayHours("9h-18h")).toMatchObject({
      ok: false,
      message: expect.stringContaining("n'est pas une plage horaire"),
    });
    expect(parseDayHours("18:00-08:00")).toMatchObject({ ok: false, message: expect.stringContaining("finir après") });
    expect(parseDayHours("08:00-12:00, 11:00-14:00")).toMatchObject({
      ok: false,
      message: expect.stringContaining("chevaucher"),
    });
  });
});
