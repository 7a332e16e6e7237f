import { Form, Link } from "@remix-run/react";
import { IntentForm } from "~/components/forms";
import { formatCents, formatDate, formatNumber } from "~/utils/format";

// Mon compte's coworking sections: bookings, booklets, the private calendar address, waiting lists.

type BookingRow = {
  id: string;
  resourceName: string;
  spaceName: string;
  startsAt: string;
  endsAt: string;
  status: string;
  statusLabel: string;
  priceCents: number;
  passCredits: number;
  invoiceId: string | null;
};

const slot = (b: { startsAt: string; endsAt: string }) =>
  `${formatDate(b.startsAt, "longDay")}, ${formatDate(b.startsAt, "time")}–${formatDate(b.endsAt, "time")}`;

export function MyBookings({
  upcoming,
  past,
  pastTotal,
}: {
  upcoming: BookingRow[];
  past: BookingRow[];
  pastTotal: number;
}) {
  return (
    <section aria-labelledby="reservations-titre" className="card" id="reservations">
      <div className="title-row">
        <h2 id="reservations-titre">Mes réservations</h2>
        <Link to="/espaces" className="button button-small button-secondary">
          Réserver un espace
        </Link>
      </div>
      {upcoming.length === 0 ? (
        <p className="muted">Aucune réservation à venir.</p>
      ) : (
        <BookingTable rows={upcoming} caption="Mes réservations à venir" />
      )}
      {past.length ? (
        <details>
          <summary>
            Réservations passées et annulées ({formatNumber(pastTotal)})
            {pastTotal > past.length ? ` — les ${past.length} plus récentes` : null}
          </summary>
          <BookingTable rows={past} caption="Mes réservations passées et annulées" />
        </details>
      ) : null}
    </section>
  );
}

function BookingTable({ rows, caption }: { rows: BookingRow[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Créneau</th>
            <th scope="col">Espace</th>
            <th scope="col">Statut</th>
            <th scope="col" className="num">
              Prix TTC
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b.id}>
              <th scope="row">
                <Link to={`/compte/reservations/${b.id}`}>{slot(b)}</Link>
              </th>
              <td>
                {b.resourceName} <span className="muted">· {b.spaceName}</span>
              </td>
              <td>
                <span className={`badge badge-status-${b.status.toLowerCase()}`}>{b.statusLabel}</span>
              </td>
              <td className="num">
                {b.passCredits
                  ? `carnet : ${b.passCredits} crédit${b.passCredits > 1 ? "s" : ""}`
                  : formatCents(b.priceCents)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type PassRow = {
  id: string;
  name: string;
  credits: number;
  creditsLeft: number;
  status: string;
  expiresAt: string | null;
  expired: boolean;
  priceCents: number;
};

export function MyPasses({ passes }: { passes: PassRow[] }) {
  return (
    <section aria-labelledby="carnets-titre" className="card" id="carnets">
      <div className="title-row">
        <h2 id="carnets-titre">Mes carnets</h2>
        <Link to="/compte/carnets" className="button button-small button-secondary">
          Acheter un carnet
        </Link>
      </div>
      {passes.length === 0 ? (
        <p className="muted">
          Pas de carnet en cours. Un carnet de demi-journées prépayées sert en priorité à vos réservations de poste.
        </p>
      ) : (
        <ul className="plain-list pass-list">
          {passes.map((p) => (
            <li key={p.id}>
              <strong>{p.name}</strong> —{" "}
              {p.status === "PENDING" ? (
                <span>en attente de paiement ({formatCents(p.priceCents)} à régler à l'accueil)</span>
              ) : (
                <>
                  <span>
                    {p.creditsLeft} crédit{p.creditsLeft > 1 ? "s" : ""} sur {p.credits}
                  </span>
                  <progress max={p.credits} value={p.creditsLeft} aria-label={`Crédits restants du carnet ${p.name}`} />
                  <span className={p.expired ? "muted" : undefined}>
                    {p.expired ? "expiré le" : "valable jusqu'au"} {formatDate(p.expiresAt!)}
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function CalendarFeed({ url, notice }: { url: string | null; notice: string | null }) {
  return (
    <section aria-labelledby="agenda-titre" className="card" id="agenda">
      <h2 id="agenda-titre">Mon agenda</h2>
      {notice ? (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}
      {url ? (
        <>
          <p>
            Abonnez votre agenda (Google, Apple, Outlook, Thunderbird) à cette adresse privée : vos réservations et vos
            formations y apparaissent et s'y mettent à jour.
          </p>
          <div className="field">
            <label htmlFor="ical-url">Adresse iCal privée</label>
            <input id="ical-url" type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
            <p className="field-hint">
              Ne la partagez pas : elle suffit pour lire votre agenda. En cas de doute, remplacez-la.
            </p>
          </div>
          <div className="button-row">
            <FeedButton intent="renew" label="Remplacer l'adresse" />
            <FeedButton intent="revoke" label="Désactiver" />
          </div>
        </>
      ) : (
        <>
          <p>
            Retrouvez vos réservations et vos formations dans votre agenda habituel grâce à une adresse iCal privée.
          </p>
          <FeedButton intent="renew" label="Créer mon adresse iCal" primary />
        </>
      )}
    </section>
  );
}

function FeedButton({ intent, label, primary }: { intent: string; label: string; primary?: boolean }) {
  return (
    <IntentForm intent={intent} action="/compte/calendrier">
      <button type="submit" className={primary ? "button" : "button button-secondary button-small"}>
        {label}
      </button>
    </IntentForm>
  );
}

type EntryRow = { id: string; resourceName: string; startsAt: string; endsAt: string; status: string };

export function MyWaitlist({ entries }: { entries: EntryRow[] }) {
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby="attente-titre" className="card" id="attente">
      <h2 id="attente-titre">Mes listes d'attente</h2>
      <ul className="plain-list">
        {entries.map((e) => (
          <li key={e.id} className="waitlist-row">
            <span>
              {e.resourceName} — {slot(e)}{" "}
              {e.status === "NOTIFIED" ? <span className="badge badge-member">libéré : réservez vite</span> : null}
            </span>
            <Form method="post" action="/compte/attente">
              <input type="hidden" name="entryId" value={e.id} />
              <button type="submit" className="link-button">
                Quitter la liste
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
