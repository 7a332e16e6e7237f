import { seatsLeftLabel } from "~/domain/training/labels";
import { formatDate, formatNumber } from "~/utils/format";

// The pieces every training page shows of a session: its dates, its parts with their rooms and times, its seats
// left as a bar and in words, and a course's programme text.

export type PartView = { id: string; startsAt: string; endsAt: string; room: string; space: string };

/** "du 15 mars 2027 au 16 mars 2027", "le lundi 15 mars 2027". */
export function sessionDatesLabel(startsAt: string, endsAt: string) {
  const from = formatDate(startsAt);
  const to = formatDate(endsAt);
  return from === to ? `le ${formatDate(startsAt, "longDay")}` : `du ${from} au ${to}`;
}

/** Each part: its day, its times (Paris), its room. */
export function PartsList({ parts, caption }: { parts: PartView[]; caption: string }) {
  if (parts.length === 0) return <p className="muted">Les horaires seront précisés prochainement.</p>;
  return (
    <div className="table-scroll">
      <table className="table tr-parts">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Horaires</th>
            <th scope="col">Lieu</th>
          </tr>
        </thead>
        <tbody>
          {parts.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                <time dateTime={p.startsAt}>{capitalise(formatDate(p.startsAt, "longDay"))}</time>
              </th>
              <td>
                {formatDate(p.startsAt, "time")}–{formatDate(p.endsAt, "time")}
              </td>
              <td>
                {p.room} <span className="muted">· {p.space}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Seats left against the capacity, as a bar (its words for those who do not see it) and a line of text. */
export function SeatsBar({ seatsLeft, capacity, id }: { seatsLeft: number; capacity: number; id: string }) {
  const taken = Math.max(0, capacity - seatsLeft);
  const percent = capacity > 0 ? Math.min(100, Math.round((taken * 100) / capacity)) : 100;
  const label = seatsLeftLabel(seatsLeft);
  return (
    <div className="tr-seats">
      <p
        className={`tr-seats-label${seatsLeft === 0 ? " tr-seats-full" : seatsLeft <= 2 ? " tr-seats-few" : ""}`}
        id={id}
      >
        <strong>{label}</strong>
        <span className="muted"> sur {formatNumber(capacity)}</span>
      </p>
      <div
        className="tr-bar"
        role="meter"
        aria-labelledby={id}
        aria-valuemin={0}
        aria-valuemax={capacity}
        aria-valuenow={taken}
        aria-valuetext={`${formatNumber(taken)} place${taken > 1 ? "s" : ""} prise${taken > 1 ? "s" : ""} sur ${formatNumber(capacity)} : ${label.toLowerCase()}`}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/**
 * A programme field as staff typed it: paragraphs separated by a blank line, and a paragraph whose lines all start
 * with "- " or "• " is a list. Plain text only (React escapes it).
 */
export function ProgrammeText({ text }: { text: string }) {
  const blocks = text
    .replace(/\r\n/g, "\n")
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  return (
    <>
      {blocks.map((block, i) => {
        const lines = block.split("\n").map((l) => l.trim());
        if (lines.every((l) => /^[-•*]\s+/.test(l)))
          return (
            <ul key={i}>
              {lines.map((l, j) => (
                <li key={j}>{l.replace(/^[-•*]\s+/, "")}</li>
              ))}
            </ul>
          );
        return (
          <p key={i} className="tr-prose">
            {block}
          </p>
        );
      })}
    </>
  );
}

export const capitalise = (s: string) => (s ? s[0].toLocaleUpperCase("fr") + s.slice(1) : s);
