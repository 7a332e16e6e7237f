import { Link } from "@remix-run/react";
import { IntentForm, SubmitButton } from "~/components/forms";
import { formatCents, formatDate } from "~/utils/format";
import { formatDay } from "~/components/invoice-sheet";
import { ScheduleTable } from "./schedule-table";

// Mon compte › Mes terres: the application in the queue, an open offer, the leases with their rent schedules.

export type ApplicationView = {
  live: boolean;
  position: number | null;
  statusLabel: string;
  createdAt: string;
  kindLabel: string;
  desiredStartOn: string;
  minSurface: string | null;
  choices: { rank: number; code: string; name: string; surface: string }[];
  project: string;
  experience: string;
  reconfirmAskedAt: string | null;
  reconfirmDueAt: string | null;
  /** The plot-path courses completed, and whether the pole still requires one for this lease. */
  training: { courses: string[]; missing: boolean };
  history: { id: string; at: string; label: string; note: string }[];
};

export type OfferView = {
  id: string;
  plot: string;
  surface: string;
  kindLabel: string;
  startsOn: string;
  lastDay: string;
  term: string;
  yearlyRentCents: number;
  vatIncluded: boolean;
  frequencyLabel: string;
  deadline: string;
  open: boolean;
};

export type InstalmentView = {
  id: string;
  periodStart: string;
  lastDay: string;
  dueOn: string;
  amountCents: number;
  status: string;
  statusLabel: string;
  invoiceId: string | null;
  invoiceNumber: string | null;
  cardPending: boolean;
};

export type LeaseView = {
  id: string;
  plot: string;
  surface: string;
  kindLabel: string;
  statusLabel: string;
  startsOn: string;
  lastDay: string;
  term: string;
  yearlyRentCents: number;
  vatIncluded: boolean;
  perHectareCents: number;
  index: string;
  frequencyLabel: string;
  instalments: InstalmentView[];
};

export function ApplicationSection({ application }: { application: ApplicationView | null }) {
  return (
    <section className="card" aria-labelledby="candidature">
      <div className="title-row">
        <h2 id="candidature">Ma candidature</h2>
        {application?.live ? null : (
          <Link to="/terres/candidater" className="button button-small">
            {application ? "Déposer une nouvelle candidature" : "Candidater"}
          </Link>
        )}
      </div>
      {!application ? (
        <p className="muted">
          Vous n'avez pas de candidature pour une parcelle. Voyez le <Link to="/terres">plan du site</Link> et les
          parcelles libres.
        </p>
      ) : (
        <>
          {application.live && application.position ? (
            <p className="queue-position">
              <span className="queue-number">n° {application.position}</span> sur la liste d'attente
            </p>
          ) : (
            <p>
              <span className="badge">{application.statusLabel}</span>
            </p>
          )}
          {application.reconfirmAskedAt ? (
            <p className="notice" role="status">
              Nous vous avons écrit le {formatDate(application.reconfirmAskedAt)} pour confirmer que vous êtes toujours
              intéressé·e : cliquez sur le lien de cet email pour garder votre place.
            </p>
          ) : null}
          <dl className="details">
            <dt>Déposée le</dt>
            <dd>{formatDate(application.createdAt)}</dd>
            <dt>Parcelles souhaitées</dt>
            <dd>
              {application.choices.length ? (
                <ol className="land-choices">
                  {application.choices.map((c) => (
                    <li key={c.rank}>
                      {c.code}
                      {c.name ? ` — ${c.name}` : ""} <span className="muted">({c.surface})</span>
                    </li>
                  ))}
                </ol>
              ) : (
                "Aucune en particulier"
              )}
              {application.minSurface ? (
                <p className="choice-any">Ou toute parcelle d'au moins {application.minSurface}</p>
              ) : null}
            </dd>
            <dt>Type de bail</dt>
            <dd>{application.kindLabel}</dd>
            {application.training.courses.length || application.training.missing ? (
              <>
                <dt>Parcours de formation</dt>
                <dd>
                  {application.training.courses.length ? (
                    `Suivi : ${application.training.courses.join(", ")}`
                  ) : (
                    <>
                      Un espace-test demande d'avoir suivi une formation du parcours d'installation :{" "}
                      <a href="/formations">voir les formations</a>. Vous gardez votre place dans la file ; les offres
                      d'espace-test vous seront faites une fois la formation suivie.
                    </>
                  )}
                </dd>
              </>
            ) : null}
            <dt>Début souhaité</dt>
            <dd>{formatDay(application.desiredStartOn)}</dd>
            {application.live && application.reconfirmDueAt && !application.reconfirmAskedAt ? (
              <>
                <dt>Prochaine confirmation</dt>
                <dd>vers le {formatDate(application.reconfirmDueAt)}</dd>
              </>
            ) : null}
          </dl>
          <details className="application-text">
            <summary>Mon projet et mon expérience</summary>
            <p className="pre-line">{application.project}</p>
            {application.experience ? <p className="pre-line">{application.experience}</p> : null}
          </details>
          <details className="application-history">
            <summary>Historique ({application.history.length})</summary>
            <ol className="land-history">
              {application.history.map((h) => (
                <li key={h.id}>
                  <time dateTime={h.at}>{formatDate(h.at, "dateTime")}</time> — {h.label}
                  {h.note ? <span className="muted"> : {h.note}</span> : null}
                </li>
              ))}
            </ol>
          </details>
          {application.live ? (
            <Confirm
              summary="Retirer ma candidature"
              text="Votre candidature quittera la liste d'attente et perdra sa place ; une proposition en cours sera retirée."
              intent="withdraw"
              button="Oui, retirer ma candidature"
              pending="Retrait…"
            />
          ) : null}
        </>
      )}
    </section>
  );
}

/** A destructive answer asked twice, without JavaScript: the button is inside a disclosure. */
function Confirm({
  summary,
  text,
  intent,
  button,
  pending,
  fields,
}: {
  summary: string;
  text: string;
  intent: string;
  button: string;
  pending: string;
  fields?: Record<string, string>;
}) {
  return (
    <details className="confirm-box">
      <summary>{summary}</summary>
      <p>{text}</p>
      <IntentForm intent={intent} values={fields}>
        <SubmitButton pendingLabel={pending} className="button button-danger">
          {button}
        </SubmitButton>
      </IntentForm>
    </details>
  );
}

export function OfferCard({ offer }: { offer: OfferView }) {
  return (
    <section className="card land-offer" aria-labelledby={`offre-${offer.id}`}>
      <p className="eyebrow">Proposition</p>
      <h2 id={`offre-${offer.id}`}>La parcelle {offer.plot} vous est proposée</h2>
      <dl className="details">
        <dt>Surface</dt>
        <dd>{offer.surface}</dd>
        <dt>Bail</dt>
        <dd>
          {offer.kindLabel}, {offer.term} : du {formatDay(offer.startsOn)} au {formatDay(offer.lastDay)} inclus
        </dd>
        <dt>Loyer</dt>
        <dd>
          {formatCents(offer.yearlyRentCents)}
          {offer.vatIncluded ? " TVA comprise" : ""} par an, échéances {offer.frequencyLabel}s
        </dd>
        <dt>Répondre avant le</dt>
        <dd>
          <strong>{formatDate(offer.deadline, "dateTime")}</strong>
        </dd>
      </dl>
      <p>
        <Link to={`/compte/terres/baux/${offer.id}`}>Lire la proposition de bail complète</Link>
      </p>
      {offer.open ? (
        <div className="button-row offer-answers">
          <IntentForm intent="accept">
            <input type="hidden" name="leaseId" value={offer.id} />
            <SubmitButton pendingLabel="Acceptation…">Accepter</SubmitButton>
          </IntentForm>
          <Confirm
            summary="Décliner"
            text="La parcelle passera à la candidature suivante ; la vôtre garde sa place sur la liste d'attente."
            intent="decline"
            button="Oui, décliner cette proposition"
            pending="Envoi…"
            fields={{ leaseId: offer.id }}
          />
        </div>
      ) : (
        <p className="notice">Le délai de réponse est passé : la parcelle passe à la candidature suivante.</p>
      )}
    </section>
  );
}

export function LeaseCard({ lease, card, payee }: { lease: LeaseView; card: boolean; payee: string }) {
  const toPay = lease.instalments.filter((i) => i.status === "INVOICED" && !i.cardPending);
  return (
    <section className="card lease-card" aria-labelledby={`bail-${lease.id}`}>
      <div className="title-row">
        <h2 id={`bail-${lease.id}`}>
          Parcelle {lease.plot} <span className="badge">{lease.statusLabel}</span>
        </h2>
        <div className="button-row">
          <Link to={`/compte/terres/baux/${lease.id}`} className="button button-small button-secondary">
            Récapitulatif du bail
          </Link>
          <a href={`/compte/terres/baux/${lease.id}.pdf`} className="button button-small button-secondary" download>
            PDF
          </a>
        </div>
      </div>
      <dl className="details">
        <dt>Bail</dt>
        <dd>
          {lease.kindLabel}, {lease.term} : du {formatDay(lease.startsOn)} au {formatDay(lease.lastDay)} inclus
        </dd>
        <dt>Surface</dt>
        <dd>{lease.surface}</dd>
        <dt>Loyer annuel</dt>
        <dd>
          {formatCents(lease.yearlyRentCents)}
          {lease.vatIncluded ? " TVA comprise" : ""}{" "}
          <span className="muted">
            ({formatCents(lease.perHectareCents)} par hectare{lease.vatIncluded ? " hors TVA" : ""})
          </span>
        </dd>
        <dt>Indexation</dt>
        <dd>{lease.index}</dd>
        <dt>Échéances</dt>
        <dd>{lease.frequencyLabel}s</dd>
      </dl>
      <h3>Échéancier</h3>
      <ScheduleTable
        rows={lease.instalments}
        caption={`Échéancier du bail de la parcelle ${lease.plot}`}
        className="table land-schedule"
        short
        status={(i) => (
          <>
            <span className={`badge instalment-${i.status.toLowerCase()}`}>{i.statusLabel}</span>
            {i.cardPending ? <span className="muted"> · paiement par carte en cours</span> : null}
          </>
        )}
        extra={{ title: "Facture", cell: (i) => <InstalmentActions instalment={i} card={card} /> }}
      />
      {toPay.length && !card ? (
        <p className="notice transfer-note">
          À régler par virement à l'ordre de {payee}, en indiquant le numéro de la facture (
          {toPay.map((i) => i.invoiceNumber).join(", ")}) : l'équipe du pôle confirme la réception et l'échéance passe à
          « payée ». Vous pouvez aussi payer par chèque à l'accueil.
        </p>
      ) : null}
    </section>
  );
}

/** An instalment's invoice, and its card payment when it is due and Stripe is set up. */
function InstalmentActions({ instalment: i, card }: { instalment: InstalmentView; card: boolean }) {
  return (
    <span className="instalment-actions">
      {i.invoiceId ? (
        <Link to={`/factures/${i.invoiceId}`} aria-label={`Voir la facture ${i.invoiceNumber}`}>
          {i.invoiceNumber}
        </Link>
      ) : (
        <span className="muted">—</span>
      )}
      {card && i.status === "INVOICED" && !i.cardPending ? (
        <IntentForm intent="pay">
          <input type="hidden" name="instalmentId" value={i.id} />
          <SubmitButton pendingLabel="Ouverture du paiement…" className="button button-small">
            Payer par carte
          </SubmitButton>
        </IntentForm>
      ) : null}
    </span>
  );
}

/** The "Mes terres" card of Mon compte. */
export function LandSummary({ land }: { land: { position: number | null; offers: number; leases: number } }) {
  const lines = [
    land.offers ? `${land.offers} proposition${land.offers > 1 ? "s" : ""} en attente de votre réponse` : null,
    land.position ? `Candidature n° ${land.position} sur la liste d'attente` : null,
    land.leases ? `${land.leases} ${land.leases > 1 ? "baux" : "bail"} en cours` : null,
  ].filter((l): l is string => Boolean(l));
  return (
    <section aria-labelledby="terres-titre" className="card" id="terres">
      <div className="title-row">
        <h2 id="terres-titre">Mes terres</h2>
        <Link to={lines.length ? "/compte/terres" : "/terres"} className="button button-small button-secondary">
          {lines.length ? "Voir mes terres" : "Voir les parcelles"}
        </Link>
      </div>
      {lines.length ? (
        <ul className="plain-list">
          {lines.map((l) => (
            <li key={l}>{land.offers && l.includes("proposition") ? <strong>{l}</strong> : l}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">
          Pas de candidature ni de bail. Les parcelles du site se louent en espace-test, en convention d'occupation ou
          en bail rural.
        </p>
      )}
    </section>
  );
}
