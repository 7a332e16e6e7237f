// Weekly opening hours as wall-clock ranges in the pole's time zone, e.g. "08:30-12:30, 13:30-18:00".
export const WEEKDAYS = [
  { key: "mon", label: "Lundi" },
  { key: "tue", label: "Mardi" },
  { key: "wed", label: "Mercredi" },
  { key: "thu", label: "Jeudi" },
  { key: "fri", label: "Vendredi" },
  { key: "sat", label: "Samedi" },
  { key: "sun", label: "Dimanche" },
] as const;

export type WeekdayKey = (typeof WEEKDAYS)[number]["key"];
export type TimeRange = { open: string; close: string };
export type OpeningHours = Record<WeekdayKey, TimeRange[]>;

/** The hours a pole opens with until staff set its own: weekdays, shorter on Friday. */
export const DEFAULT_OPENING_HOURS: OpeningHours = {
  mon: [{ open: "08:30", close: "18:30" }],
  tue: [{ open: "08:30", close: "18:30" }],
  wed: [{ open: "08:30", close: "18:30" }],
  thu: [{ open: "08:30", close: "18:30" }],
  fri: [{ open: "08:30", close: "17:30" }],
  sat: [],
  sun: [],
};

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]\d|2[0-3]|24):([0-5]\d)$/;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Parses one day's text; returns the ranges or a French message saying what is wrong. */
export function parseDayHours(text: string): { ok: true; ranges: TimeRange[] } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === "" || /^ferm[ée]$/i.test(trimmed)) return { ok: true, ranges: [] };
  const ranges: TimeRange[] = [];
  for (const part of trimmed.split(/[,;]/).map((p) => p.trim())) {
    const m = RANGE.exec(part);
    if (!m) return { ok: false, message: `« ${part} » n'est pas une plage horaire (ex. 08:30-18:00).` };
    const range = { open: `${m[1]}:${m[2]}`, close: `${m[3]}:${m[4]}` };
    if (minutes(range.close) <= minutes(range.open)) {
      return { ok: false, message: `La plage ${part} doit finir après son début.` };
    }
    const previous = ranges.at(-1);
    if (previous && minutes(range.open) < minutes(previous.close)) {
      return { ok: false, message: "Les plages doivent se suivre sans se chevaucher." };
    }
    ranges.push(range);
  }
  return { ok: true, ranges };
}

export function formatDayHours(ranges: TimeRange[]) {
  return ranges.length === 0 ? "Fermé" : ranges.map((r) => `${r.open}-${r.close}`).join(", ");
}

export function normaliseOpeningHours(value: unknown): OpeningHours {
  const source = (value && typeof value === "object" ? value : {}) as Partial<OpeningHours>;
  return Object.fromEntries(
    WEEKDAYS.map(({ key }) => [key, Array.isArray(source[key]) ? source[key] : []]),
  ) as OpeningHours;
}
