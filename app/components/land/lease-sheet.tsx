import type { ReactNode } from "react";
import { formatDay } from "~/components/invoice-sheet";
import type { LeaseDocument } from "~/domain/leasing/index.server";
import { formatIndex, formatSurface } from "~/domain/leasing/rules";
import { formatRate } from "~/domain/ledger/vat";
import { formatCents, formatDate } from "~/utils/format";
import { ScheduleTable } from "./schedule-table";

// The lease summary as a sheet of paper (land.css prints it alone on A4): the same parts as the PDF.

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Part({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Party({ label, name, lines }: { label: string; name: string; lines: (string | null)[] }) {
  return (
    <div className="lease-party">
      <p className="lease-label">{label}</p>
      <p className="lease-party-name">{name}</p>
      <p>
        {lines.filter(Boolean).map((line) => (
          <span key={line} className="lease-line">
            {line}
          </span>
        ))}
      </p>
    </div>
  );
}

export function LeaseSheet({ document: d, indexClause }: { document: LeaseDocument; indexClause: string }) {
  return (
    <article className="lease-sheet" aria-labelledby="lease-title">
      <header className="lease-head">
        <div className="lease-lessor">
          <p className="lease-lessor-name">{d.lessor.legalName}</p>
          <p className="muted">
            {d.lessor.legalForm} · {d.lessor.address}
            {d.lessor.siren ? ` · SIREN ${d.lessor.siren}` : ""}
          </p>
        </div>
        <div className="lease-meta">
          <h1 id="lease-title" className="lease-title">
            {d.title}
            <span className="lease-subtitle">
              Parcelle {d.plot.code}
              {d.plot.name ? ` — ${d.plot.name}` : ""}
            </span>
          </h1>
          <p className="muted">
            {d.statusLabel} · établi le {formatDay(d.issuedOn)}
          </p>
        </div>
      </header>

      <Part id="parties" title="Les parties">
        <div className="lease-parties">
          <Party
            label="Bailleur"
            name={d.lessor.legalName}
            lines={[
              d.lessor.legalForm,
              d.lessor.address,
              d.lessor.siren && `SIREN ${d.lessor.siren}`,
              d.lessor.vatNumber && `N° de TVA intracommunautaire ${d.lessor.vatNumber}`,
            ]}
          />
          <Party
            label="Preneur"
            name={d.holder.name}
            lines={[d.holder.organisationName, d.holder.email, d.holder.phone]}
          />
        </div>
      </Part>

      <Part id="parcelle" title="La parcelle">
        <dl className="lease-rows">
          <Row label="Parcelle">
            {d.plot.code}
            {d.plot.name ? ` — ${d.plot.name}` : ""}
          </Row>
          <Row label="Surface">{formatSurface(d.plot.surfaceM2)}</Row>
          <Row label="Sol">{d.plot.soil || "—"}</Row>
          <Row label="Accès à l'eau">{d.plot.waterAccess || "—"}</Row>
          <Row label="Abri">{d.plot.shelter || "—"}</Row>
          <Row label="Usage actuel">{d.plot.currentUse || "—"}</Row>
        </dl>
      </Part>

      <Part id="duree" title="Nature et durée">
        <dl className="lease-rows">
          <Row label="Type de bail">
            <strong>{d.kindLabel}.</strong> {d.kindSummary}
          </Row>
          <Row label="Durée">
            {d.term}, du {formatDay(d.startsOn)} au {formatDay(d.lastDay)} inclus
          </Row>
          {d.maxRenewals > 0 ? (
            <Row label="Renouvellement">
              {d.renewalNumber
                ? `Renouvellement n° ${d.renewalNumber} sur ${d.maxRenewals} possibles`
                : `Renouvelable ${d.maxRenewals} fois au plus`}
            </Row>
          ) : null}
          {d.offerExpiresAt ? (
            <Row label="Réponse attendue">avant le {formatDate(d.offerExpiresAt, "dateTime")}</Row>
          ) : null}
          {d.endNoticeOn ? (
            <Row label="Congé">
              donné le {formatDay(d.endNoticeOn)}
              {d.endReason ? ` : ${d.endReason}` : ""}
            </Row>
          ) : null}
        </dl>
      </Part>

      <Part id="loyer" title="Loyer">
        <dl className="lease-rows">
          <Row label="Loyer annuel">
            <strong>{formatCents(d.rent.yearlyCents)}</strong>
            {d.rent.vatRateBp ? ` TTC (TVA ${formatRate(d.rent.vatRateBp)} comprise)` : ""}
          </Row>
          <Row label="Loyer à l'hectare">{formatCents(d.rent.perHectareCents)} par hectare et par an</Row>
          <Row label="Échéances">{d.rent.frequencyLabel}s, payables d'avance au début de chaque période</Row>
          {d.rent.vatMention ? <Row label="TVA">{d.rent.vatMention}</Row> : null}
        </dl>
      </Part>

      <Part id="indexation" title="Clause d'indexation">
        <p>{indexClause}</p>
        {d.rentChanges.length ? (
          <ul className="lease-changes">
            {d.rentChanges.map((c) => (
              <li key={c.effectiveOn + c.newCents}>
                Révision du {formatDay(c.effectiveOn)} : {formatCents(c.previousCents)} → {formatCents(c.newCents)}
                {c.newIndex ? ` (indice ${c.indexYear} : ${formatIndex(c.newIndex)})` : ""}
              </li>
            ))}
          </ul>
        ) : null}
      </Part>

      <Part id="echeancier" title="Échéancier">
        {d.schedule.length === 0 ? (
          <p className="muted">L'échéancier s'écrit quand la proposition est acceptée.</p>
        ) : (
          <ScheduleTable
            rows={d.schedule}
            caption="Échéancier du loyer"
            className="lease-schedule"
            status={(r) => r.statusLabel}
            totalCents={d.totalCents}
          />
        )}
      </Part>
      <footer className="lease-foot">
        {d.lessor.legalName} — {d.lessor.legalForm} — {d.lessor.address}
      </footer>
    </article>
  );
}
