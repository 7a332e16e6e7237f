import { describe, expect, it } from "vitest";
import { nextAnniversary } from "~/domain/leasing/leases.server";
import { indexedRent, schedule, yearlyRent } from "~/domain/leasing/rules";
import { withVat } from "~/domain/ledger/vat";
import { isoDate } from "~/domain/ledger/dates";

// The rent arithmetic, in integer cents: every result rounded half-up to the cent, a lease year always summing
// to the yearly rent, a shorter last period pro rata of its days over 365.

const amounts = (input: Parameters<typeof schedule>[0]) => schedule(input).map((p) => p.amountCents);

describe("rent arithmetic", () => {
  it("rounds a plot's rent and an indexed rent half-up to the cent", () => {
    // 150 m² × 1,00 €/ha = 1,5 cent → 2 cents; 12 500 m² × 160,00 €/ha = 200,00 €.
    expect(yearlyRent(150, 100)).toBe(2);
    expect(yearlyRent(149, 100)).toBe(1);
    expect(yearlyRent(12_500, 16_000)).toBe(20_000);
    // 200,01 € × 50,00 ÷ 100,00 = 100,005 € → 100,01 €; 200,00 € × 126,07 ÷ 120,00 = 210,1166… € → 210,12 €.
    expect(indexedRent(20_001, 10_000, 5_000)).toBe(10_001);
    expect(indexedRent(20_000, 12_000, 12_607)).toBe(21_012);
    expect(withVat(9_000, 2000)).toBe(10_800);
    expect(withVat(5, 2000)).toBe(6);
  });

  it("splits a year in equal parts, the leftover cents one each to the first instalments", () => {
    expect(
      amounts({
        startsOn: isoDate("2027-03-01"),
        endsOn: isoDate("2028-03-01"),
        yearlyRentCents: 20_001,
        frequency: "QUARTERLY",
      }),
    ).toEqual([5001, 5000, 5000, 5000]);
    const monthly = amounts({
      startsOn: isoDate("2027-03-01"),
      endsOn: isoDate("2028-03-01"),
      yearlyRentCents: 10_000,
      frequency: "MONTHLY",
    });
    expect(monthly).toEqual([834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833]);
    expect(monthly.reduce((a, b) => a + b, 0)).toBe(10_000);
    // Every lease year of a nine-year lease sums to the yearly rent.
    const nine = amounts({
      startsOn: isoDate("2027-03-01"),
      endsOn: isoDate("2036-03-01"),
      yearlyRentCents: 45_607,
      frequency: "QUARTERLY",
    });
    expect(nine).toHaveLength(36);
    for (let year = 0; year < 9; year++)
      expect(nine.slice(year * 4, year * 4 + 4).reduce((a, b) => a + b, 0)).toBe(45_607);
  });

  it("charges a shorter period pro rata of its days over 365, due on its first day", () => {
    // A two-month convention billed yearly: 61 days × 200,00 € ÷ 365 = 33,424… € → 33,42 €.
    expect(
      schedule({
        startsOn: isoDate("2027-03-01"),
        endsOn: isoDate("2027-05-01"),
        yearlyRentCents: 20_000,
        frequency: "YEARLY",
      }),
    ).toEqual([{ periodStart: "2027-03-01", periodEnd: "2027-05-01", dueOn: "2027-03-01", amountCents: 3_342 }]);
    // Eighteen months billed yearly: a full year, then 184 days → 100,82 €.
    expect(
      amounts({
        startsOn: isoDate("2027-03-01"),
        endsOn: isoDate("2028-09-01"),
        yearlyRentCents: 20_000,
        frequency: "YEARLY",
      }),
    ).toEqual([20_000, 10_082]);
  });

  it("finds the anniversary from which a new index reaches a lease", () => {
    expect(nextAnniversary(isoDate("2027-03-01"), isoDate("2027-05-01"))).toBe("2028-03-01");
    // On the anniversary itself the year has begun (its instalment may be invoiced): the next one.
    expect(nextAnniversary(isoDate("2027-03-01"), isoDate("2028-03-01"))).toBe("2029-03-01");
    expect(nextAnniversary(isoDate("2027-03-01"), isoDate("2028-02-29"))).toBe("2028-03-01");
    // A lease not begun keeps the agreed rent for its first year.
    expect(nextAnniversary(isoDate("2027-03-01"), isoDate("2027-03-01"))).toBe("2028-03-01");
    expect(nextAnniversary(isoDate("2027-03-01"), isoDate("2026-11-28"))).toBe("2028-03-01");
    expect(nextAnniversary(isoDate("2020-10-15"), isoDate("2031-10-16"))).toBe("2032-10-15");
    // A lease begun on a 29 February has its anniversary on the 28th, as its schedule does.
    expect(nextAnniversary(isoDate("2028-02-29"), isoDate("2029-01-01"))).toBe("2029-02-28");
  });
});
