// Inline line icons: they render the same everywhere, unlike emoji, which depend on the system's fonts.
const PATHS = {
  desk: "M4 10h16M6 10v8M18 10v8M8 6h8v4H8z",
  sprout: "M12 20v-8M12 12c0-4-3-6-7-6 0 4 3 6 7 6zM12 14c0-3 2-6 7-6 0 4-3 6-7 6z",
  book: "M4 5a2 2 0 0 1 2-2h12v16H6a2 2 0 0 0-2 2zM4 5v16M8 7h6",
  hands: "M3 12l4-4 3 3 4-4 7 7-5 5-4-4-2 2-3-3zM10 11l3 3",
} as const;

export type IconName = keyof typeof PATHS;

export function OfferIcon({ name }: { name: IconName }) {
  return (
    <svg className="offer-icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true" focusable="false">
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
