import { describe, expect, it } from "vitest";
import { checkoutExpiresAt } from "~/domain/payments/index.server";

// Stripe refuses a Checkout Session whose expires_at is less than 30 minutes or more than 24 hours ahead of its own
// clock: what we send keeps a margin on both sides.

const NOW = new Date("2027-03-01T07:00:00Z");
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe("a Checkout Session's expiry", () => {
  it("is 35 minutes after the payment's creation: 5 minutes over Stripe's minimum for its clock and the retries", () => {
    expect(checkoutExpiresAt(NOW, NOW)).toBe(seconds(at(35)));
    // A twin request a moment later sends the very same value (same idempotency key, same parameters).
    expect(checkoutExpiresAt(NOW, at(1))).toBe(seconds(at(35)));
  });

  it("is not sent once too close to Stripe's minimum: the payment starts over", () => {
    expect(checkoutExpiresAt(NOW, at(2))).toBe(seconds(at(35)));
    expect(checkoutExpiresAt(NOW, new Date(at(2).getTime() + 1000))).toBeNull();
    expect(checkoutExpiresAt(NOW, at(10))).toBeNull();
  });

  it("stays under Stripe's 24 hours, with the margin, whatever the creation time says", () => {
    const ahead = new Date(NOW.getTime() + 2 * 86_400_000);
    expect(checkoutExpiresAt(ahead, NOW)).toBe(seconds(NOW) + 24 * 3600 - 5 * 60);
  });

  it("always falls inside [now + 30 min, now + 24 h] when it is sent", () => {
    for (let offset = -600; offset <= 600; offset += 7) {
      const createdAt = new Date(NOW.getTime() + offset * 1000);
      const expiresAt = checkoutExpiresAt(createdAt, NOW);
      if (expiresAt === null) continue;
      expect(expiresAt - seconds(NOW)).toBeGreaterThanOrEqual(33 * 60);
      expect(expiresAt - seconds(NOW)).toBeLessThanOrEqual(24 * 3600 - 5 * 60);
    }
  });
});
