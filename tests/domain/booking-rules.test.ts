import { describe, expect, it } from "vitest";
import { freeIntervals, passCreditsFor, quote, rangeRefusal, standardSlots } from "~/domain/booking/rules";
import { parisInstant, parisParts } from "~/domain/booking/time";
import { DEFAULT_OPENING_HOURS, DESK_RATES, ROOM_RATES } from "../factories";
import { isoDate } from "~/domain/ledger/dates";

// The booking rules that need no database: wall-clock time in Paris, prices, the range checks, free slots.

const desk = { kind: "DESK" as const, slotMinutes: 30, minMinutes: 60, maxMinutes: 600 };
const room = { ...desk, kind: "ROOM" as const };
const NOW = new Date("2027-03-01T07:00:00Z");

describe("Paris wall-clock time", () => {
  it.each([
    ["2027-03-02", 510, "2027-03-02T07:30:00.000Z"],
    ["2027-07-02", 510, "2027-07-02T06:30:00.000Z"],
    // The days the clocks change: the wall clock is set, not counted from midnight.
    ["2027-03-28", 570, "2027-03-28T07:30:00.000Z"],
    ["2027-10-31", 570, "2027-10-31T08:30:00.000Z"],
    ["2027-03-02", 1440, "2027-03-02T23:00:00.000Z"],
  ])("%s at minute %i is %s", (date, minutes, iso) => {
    const instant = parisInstant(isoDate(date), minutes);
    expect(instant.toISOString()).toBe(iso);
    if (minutes < 1440) expect(parisParts(instant)).toMatchObject({ date, minutes });
  });
});

describe("prices", () => {
  it("takes the cheapest combination of the units a resource is priced in, VAT included", () => {
    expect(quote(DESK_RATES, 240, false)).toEqual({
      totalCents: 1800,
      lines: [{ unit: "HALF_DAY", quantity: 1, unitCents: 1800 }],
    });
    expect(quote(DESK_RATES, 300, true)).toEqual({
      totalCents: 2000,
      lines: [{ unit: "DAY", quantity: 1, unitCents: 2000 }],
    });
    expect(quote(ROOM_RATES, 120, false)).toEqual({
      totalCents: 5000,
      lines: [{ unit: "HOUR", quantity: 2, unitCents: 2500 }],
    });
    expect(quote(ROOM_RATES, 270, false)).toEqual({
      totalCents: 10500,
      lines: [
        { unit: "HALF_DAY", quantity: 1, unitCents: 8000 },
        { unit: "HOUR", quantity: 1, unitCents: 2500 },
      ],
    });
    expect(quote(ROOM_RATES, 600, false)!.totalCents).toBe(13000);
    expect(quote({ DAY: DESK_RATES.DAY }, 60, false)!.lines).toEqual([{ unit: "DAY", quantity: 1, unitCents: 3000 }]);
    expect(quote({ HALF_DAY: DESK_RATES.HALF_DAY }, 600, false)!.lines).toEqual([
      { unit: "HALF_DAY", quantity: 3, unitCents: 1800 },
    ]);
    expect(quote({}, 60, false)).toBeNull();
  });

  it("counts a booklet's credits in half-days", () => {
    expect([60, 240, 241, 600].map(passCreditsFor)).toEqual([1, 1, 2, 2]);
  });
});

describe("bookable ranges", () => {
  const at = (hhmm: string, date = "2027-03-02") =>
    parisInstant(isoDate(date), Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
  it.each([
    ["fine", "09:00", "12:00", "2027-03-02", null],
    ["the end before the start", "12:00", "09:00", "2027-03-02", "INVALID_RANGE"],
    ["in the past", "09:00", "12:00", "2027-02-26", "IN_THE_PAST"],
    ["a Saturday", "09:00", "12:00", "2027-03-06", "CLOSED_DAY"],
    ["before opening", "08:00", "10:00", "2027-03-02", "OUTSIDE_HOURS"],
    ["after closing on a Friday", "16:00", "18:00", "2027-03-05", "OUTSIDE_HOURS"],
    ["off the grid", "09:10", "12:00", "2027-03-02", "OFF_GRID"],
    ["too short", "09:00", "09:30", "2027-03-02", "TOO_SHORT"],
    ["more than a year ahead", "09:00", "12:00", "2028-03-07", "TOO_FAR"],
  ])("%s", (_label, start, end, date, code) => {
    expect(rangeRefusal(desk, DEFAULT_OPENING_HOURS, at(start, date), at(end, date), NOW)?.code ?? null).toBe(code);
  });

  it("refuses a range over two days and one longer than the maximum", () => {
    expect(rangeRefusal(desk, DEFAULT_OPENING_HOURS, at("17:00"), at("09:00", "2027-03-03"), NOW)?.code).toBe(
      "SPANS_DAYS",
    );
    expect(rangeRefusal({ ...desk, maxMinutes: 240 }, DEFAULT_OPENING_HOURS, at("08:30"), at("13:00"), NOW)?.code).toBe(
      "TOO_LONG",
    );
  });

  it("lets a booking span a lunch closure but not start or end inside it", () => {
    const hours = {
      ...DEFAULT_OPENING_HOURS,
      tue: [
        { open: "08:30", close: "12:30" },
        { open: "13:30", close: "18:00" },
      ],
    };
    expect(rangeRefusal(desk, hours, at("09:00"), at("17:00"), NOW)).toBeNull();
    expect(rangeRefusal(desk, hours, at("12:30"), at("15:00"), NOW)?.code).toBe("OUTSIDE_HOURS");
    expect(rangeRefusal(desk, hours, at("10:00"), at("13:00"), NOW)?.code).toBe("OUTSIDE_HOURS");
  });
});

describe("free slots", () => {
  it("cuts the opening ranges around what is taken", () => {
    expect(
      freeIntervals(
        [{ open: "08:30", close: "18:30" }],
        [
          { start: 600, end: 720 },
          { start: 700, end: 780 },
        ],
      ),
    ).toEqual([
      { start: 510, end: 600 },
      { start: 780, end: 1110 },
    ]);
    expect(
      freeIntervals(
        [
          { open: "08:30", close: "12:30" },
          { open: "13:30", close: "18:00" },
        ],
        [],
      ),
    ).toEqual([
      { start: 510, end: 750 },
      { start: 810, end: 1080 },
    ]);
  });

  it("offers half-days and the day for a desk, hours as well for a room", () => {
    const day = [{ open: "08:30", close: "18:30" }];
    expect(standardSlots(desk, day).map((s) => s.label)).toEqual([
      "Matin (08:30–12:30)",
      "Après-midi (14:30–18:30)",
      "Journée (08:30–18:30)",
    ]);
    expect(standardSlots(room, day)).toHaveLength(13);
    expect(standardSlots({ ...desk, maxMinutes: 240 }, day).map((s) => s.label)).toEqual([
      "Matin (08:30–12:30)",
      "Après-midi (14:30–18:30)",
    ]);
  });
});
