import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { SubmitButton } from "~/components/forms";
import {
  giftPartOf,
  hasShareCertificate,
  hasTaxReceipt,
  personPledge,
  pledgeRef,
} from "~/domain/crowdfunding/index.server";
import { deadlineLabel, MODE_LABELS, pledgeStatusLabel } from "~/domain/crowdfunding/labels";
import { cardPaymentEnabled } from "~/domain/payments/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { httpError } from "~/utils/http.server";

// One pledge of Mon compte, and the page a pledge leads to: thanks, then what to do — for a transfer or a cheque,
// the payee, the amount and the reference to write; for a card still to save, the button that opens Stripe. Only
// the person's own pledge: anyone else's id is a 404, like an unknown one.

export const meta: MetaFunction = () => [{ title: "Ma contribution — Mon compte" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const p = await personPledge(db, { poleId: pole.id, personId: person.id, pledgeId: params.pledgeId ?? "" });
  if (!p) httpError(404, "Cette contribution n'existe pas.");
  const now = new Date();
  const open = p.campaign.status === "PUBLISHED" && now < p.campaign.endsAt;
  return json({
    pledge: {
      id: p.id,
      reference: pledgeRef(p),
      status: p.status,
      method: p.method,
      totalCents: p.amountCents + p.giftCents,
      giftCents: p.giftCents,
      shares: p.shares,
      tierName: p.tier?.name ?? null,
      collectedCents: p.collectedCents,
      createdAt: p.createdAt.toISOString(),
      graceEndsAt: p.graceEndsAt?.toISOString() ?? null,
      admittedAt: p.admittedAt?.toISOString() ?? null,
      certificate: hasShareCertificate(p),
      taxReceipt: hasTaxReceipt(p, pole.taxReceiptEligible),
      giftPart: giftPartOf(p),
    },
    campaign: {
      slug: p.campaign.slug,
      title: p.campaign.title,
      mode: p.campaign.mode,
      endsAt: p.campaign.endsAt.toISOString(),
      open,
    },
    payee: {
      legalName: pole.legalName,
      address: `${pole.addressLine}, ${pole.postalCode} ${pole.city}`,
      iban: pole.bankIban,
      bic: pole.bankBic,
    },
    card: cardPaymentEnabled(),
  });
}

export default function MyPledge() {
  const { pledge: p, campaign, payee, card } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const awaitingMoney = p.status === "SECURED" && (p.method === "TRANSFER" || p.method === "CHEQUE");
  const cardToFinish = card && p.method === "STRIPE" && (p.status === "PENDING" || p.status === "ACTION_REQUIRED");
  return (
    <div className="narrow cf-receipt">
      <p>
        <Link to="/compte/contributions">← Mes contributions</Link>
      </p>
      <p className="eyebrow">Ma contribution · {campaign.title}</p>
      <h1>{searchParams.has("merci") ? "Merci pour votre contribution !" : "Ma contribution"}</h1>
      {searchParams.has("merci") ? (
        <p className="notice notice-success" role="status">
          Votre contribution de {formatCents(p.totalCents)} à « {campaign.title} » est enregistrée. Un message de
          confirmation vous a été envoyé.
        </p>
      ) : null}
      {searchParams.get("carte") === "indisponible" ? (
        <p className="notice notice-error" role="alert">
          Votre contribution est enregistrée, mais le paiement par carte n'a pas pu s'ouvrir. Réessayez ci-dessous dans
          quelques instants.
        </p>
      ) : null}

      <section className="card" aria-labelledby="recapitulatif">
        <h2 id="recapitulatif">Récapitulatif</h2>
        <dl className="details">
          <dt>Campagne</dt>
          <dd>
            <Link to={`/financement/${campaign.slug}`}>{campaign.title}</Link>{" "}
            <span className="muted">({MODE_LABELS[campaign.mode]})</span>
          </dd>
          <dt>Contrepartie</dt>
          <dd>
            {p.tierName ?? "Montant libre"}
            {p.shares ? ` — ${formatNumber(p.shares)} part${p.shares > 1 ? "s" : ""}` : ""}
          </dd>
          <dt>Montant</dt>
          <dd>
            <strong>{formatCents(p.totalCents)}</strong>
            {p.giftCents ? <span className="muted"> (dont {formatCents(p.giftCents)} de don en plus)</span> : null}
          </dd>
          <dt>État</dt>
          <dd>
            <span className={`badge cf-status-${p.status.toLowerCase()}`}>{pledgeStatusLabel(p.status, p.method)}</span>
          </dd>
          <dt>Référence</dt>
          <dd>
            <strong className="cf-reference">{p.reference}</strong>
          </dd>
          <dt>Date</dt>
          <dd>{formatDate(p.createdAt)}</dd>
        </dl>
      </section>

      {awaitingMoney ? (
        <section className="card cf-instructions" aria-labelledby="regler">
          <h2 id="regler">{p.method === "TRANSFER" ? "Régler par virement" : "Régler par chèque"}</h2>
          {p.method === "TRANSFER" ? (
            <dl className="details">
              <dt>Bénéficiaire</dt>
              <dd>{payee.legalName}</dd>
              <dt>Montant</dt>
              <dd>{formatCents(p.totalCents)}</dd>
              <dt>Libellé à indiquer</dt>
              <dd>
                <strong className="cf-reference">{p.reference}</strong>
              </dd>
              <dt>Coordonnées bancaires</dt>
              {payee.iban ? (
                <dd>
                  IBAN <span className="cf-reference">{payee.iban}</span>
                  {payee.bic ? <> — BIC {payee.bic}</> : null}
                </dd>
              ) : (
                <dd>Le RIB du pôle vous est envoyé par son équipe sur simple demande (répondez au message reçu).</dd>
              )}
            </dl>
          ) : (
            <dl className="details">
              <dt>À l'ordre de</dt>
              <dd>{payee.legalName}</dd>
              <dt>Montant</dt>
              <dd>{formatCents(p.totalCents)}</dd>
              <dt>Au dos du chèque</dt>
              <dd>
                <strong className="cf-reference">{p.reference}</strong>
              </dd>
              <dt>À envoyer ou déposer</dt>
              <dd>{payee.address}</dd>
            </dl>
          )}
          <p className="field-hint">
            {campaign.mode === "ALL_OR_NOTHING"
              ? "Si la campagne n'atteint pas son objectif, le pôle vous rembourse. "
              : ""}
            L'équipe du pôle confirme la réception du montant : votre contribution passe alors à « Réglée ». À envoyer
            avant la date limite, le {deadlineLabel(campaign.endsAt)}.
          </p>
        </section>
      ) : null}

      {cardToFinish ? (
        <section className="card" aria-labelledby="carte">
          <h2 id="carte">{p.status === "ACTION_REQUIRED" ? "Régler votre contribution" : "Paiement par carte"}</h2>
          <p>
            {p.status === "ACTION_REQUIRED"
              ? `Le prélèvement de votre carte n'a pas abouti. Réglez votre contribution${p.graceEndsAt ? ` avant le ${formatDate(p.graceEndsAt, "dateTime")}` : ""} pour qu'elle compte.`
              : campaign.mode === "ALL_OR_NOTHING"
                ? "Enregistrez votre carte : elle ne sera débitée que si la campagne atteint son objectif."
                : "Finalisez le paiement par carte pour que votre contribution compte."}
          </p>
          <Form method="post" action="/compte/contributions">
            <input type="hidden" name="intent" value="pay" />
            <input type="hidden" name="pledgeId" value={p.id} />
            <SubmitButton pendingLabel="Ouverture du paiement…">
              {p.status === "PENDING" && campaign.mode === "ALL_OR_NOTHING"
                ? "Enregistrer ma carte"
                : `Payer ${formatCents(p.totalCents)} par carte`}
            </SubmitButton>
          </Form>
        </section>
      ) : null}

      {p.certificate || p.taxReceipt ? (
        <section className="card" aria-labelledby="documents">
          <h2 id="documents">Documents</h2>
          <ul className="plain-list">
            {p.certificate ? (
              <li>
                <a href={`/compte/contributions/${p.id}/certificat.pdf`} download>
                  Attestation de souscription de parts sociales (PDF)
                </a>
                {p.admittedAt ? null : <span className="muted"> — admission par la coopérative à venir</span>}
              </li>
            ) : null}
            {p.taxReceipt ? (
              <li>
                <a href={`/compte/contributions/${p.id}/recu-fiscal.pdf`} download>
                  Reçu fiscal pour votre don de {formatCents(p.giftPart)} (PDF)
                </a>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}

      <p>
        <Link to="/compte/contributions" className="button button-secondary">
          Toutes mes contributions
        </Link>
      </p>
    </div>
  );
}
