import { Link } from "@remix-run/react";
import { IntentButton } from "~/components/forms";
import type { RegistrationView } from "~/domain/training/index.server";
import { registrationStatusLabel } from "~/domain/training/labels";
import { formatCents, formatDate } from "~/utils/format";
import { capitalise, sessionDatesLabel, type PartView } from "./sessions";

// A registration as Mon compte › Mes formations lists it.

export type RegistrationCardView = {
  id: string;
  status: "HELD" | "OFFERED" | "CONFIRMED" | "CANCELLED" | "EXPIRED";
  held: boolean;
  holdExpiresAt: string | null;
  offerExpiresAt: string | null;
  payer: "SELF" | "ORGANISATION";
  paymentMethod: string | null;
  priceCents: number;
  memberRate: boolean;
  funder: { id: string; name: string } | null;
  invoice: { id: string; number: string } | null;
  certificate: { id: string; number: string } | null;
  satisfactionAnswered: boolean;
  satisfactionOpen: boolean;
  course: { slug: string; title: string };
  session: {
    status: string;
    startsAt: string;
    endsAt: string;
    deliveredAt: string | null;
    cancelReason: string | null;
    parts: PartView[];
  };
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What the browser gets of a registration (dates as ISO strings). */
export function registrationCard(r: RegistrationView): RegistrationCardView {
  return {
    id: r.id,
    status: r.status,
    held: r.held,
    holdExpiresAt: iso(r.holdExpiresAt),
    offerExpiresAt: iso(r.offerExpiresAt),
    payer: r.payer,
    paymentMethod: r.paymentMethod,
    priceCents: r.priceCents,
    memberRate: r.memberRate,
    funder: r.funder,
    invoice: r.invoice,
    certificate: r.certificate,
    satisfactionAnswered: r.satisfactionAnswered,
    satisfactionOpen: r.satisfactionOpen,
    course: { slug: r.course.slug, title: r.course.title },
    session: {
      status: r.session.status,
      startsAt: r.session.startsAt.toISOString(),
      endsAt: r.session.endsAt.toISOString(),
      deliveredAt: iso(r.session.deliveredAt),
      cancelReason: r.session.cancelReason,
      parts: r.session.parts.map((p) => ({
        ...p,
        startsAt: p.startsAt.toISOString(),
        endsAt: p.endsAt.toISOString(),
      })),
    },
  };
}

export const statusClass = (status: string, held: boolean) =>
  `badge tr-status-${status === "HELD" && !held ? "expired" : status.toLowerCase()}`;

export function RegistrationCard({ registration: r }: { registration: RegistrationCardView }) {
  const titleId = `inscription-${r.id}`;
  const first = r.session.parts[0];
  return (
    <li className="card tr-registration">
      <article aria-labelledby={titleId}>
        <div className="title-row">
          <h3 id={titleId}>
            <Link to={`/compte/formations/${r.id}`}>{r.course.title}</Link>
          </h3>
          <span className={statusClass(r.status, r.held)}>{registrationStatusLabel(r)}</span>
        </div>
        <p className="tr-registration-when">
          {capitalise(sessionDatesLabel(r.session.startsAt, r.session.endsAt))}
          {first ? (
            <span className="muted">
              {" "}
              · {formatDate(first.startsAt, "time")} · {first.room}, {first.space}
              {r.session.parts.length > 1 ? ` · ${r.session.parts.length} séances` : ""}
            </span>
          ) : null}
        </p>
        {r.session.status === "CANCELLED" ? (
          <p className="notice notice-error">
            Session annulée par le pôle{r.session.cancelReason ? ` : ${r.session.cancelReason}` : ""}.
          </p>
        ) : null}
        {r.status === "HELD" && r.held && r.holdExpiresAt ? (
          <p className="tr-to-do">
            <strong>
              {r.paymentMethod || r.payer === "ORGANISATION" ? "Place réservée" : "Place retenue"} jusqu'au{" "}
              {formatDate(r.holdExpiresAt, "dateTime")}
            </strong>
          </p>
        ) : null}
        {r.offerExpiresAt ? (
          <div className="tr-offer">
            <p>
              <strong>Une place s'est libérée pour vous !</strong> Acceptez-la avant le{" "}
              <strong>{formatDate(r.offerExpiresAt, "dateTime")}</strong>, puis réglez-la ; sinon elle passe à la
              personne suivante.
            </p>
            <div className="button-row">
              <IntentButton
                intent="accept"
                values={{ registrationId: r.id }}
                className="button button-small"
                pendingLabel="Acceptation…"
              >
                Accepter la place
              </IntentButton>
              <IntentButton intent="decline" values={{ registrationId: r.id }} pendingLabel="Refus…">
                Refuser
              </IntentButton>
            </div>
          </div>
        ) : null}
        <div className="cf-actions">
          <Link to={`/compte/formations/${r.id}`} className="button button-secondary button-small">
            {r.status === "HELD" && r.held && !r.paymentMethod && r.payer === "SELF"
              ? "Choisir comment régler"
              : r.offerExpiresAt
                ? "Voir la proposition"
                : "Détails"}
          </Link>
          <span className="muted">
            {r.payer === "ORGANISATION" && r.funder
              ? `Pris en charge par ${r.funder.name}`
              : r.priceCents === 0
                ? "Gratuit"
                : `${formatCents(r.priceCents)}${r.memberRate ? " (tarif membre)" : ""}`}
          </span>
          {/* A funder's invoice is addressed to the organisation: staff send it, the trainee sees its number only. */}
          {r.invoice && r.payer === "SELF" ? (
            <Link to={`/factures/${r.invoice.id}`} aria-label={`Voir la facture ${r.invoice.number}`}>
              Facture {r.invoice.number}
            </Link>
          ) : null}
          {r.certificate ? (
            <a href={`/compte/formations/${r.id}/attestation.pdf`} download>
              Attestation de fin de formation (PDF)
            </a>
          ) : null}
          {r.satisfactionOpen ? (
            r.satisfactionAnswered ? (
              <span className="muted">Avis donné, merci !</span>
            ) : (
              <Link to={`/compte/formations/${r.id}/avis`}>Donner mon avis</Link>
            )
          ) : null}
        </div>
      </article>
    </li>
  );
}
