import { PHASE_LABELS, timeLeftLabel, type CampaignPhase } from "~/domain/crowdfunding/labels";
import { formatCents, formatDate, formatNumber } from "~/utils/format";

// The campaign's progress, as a bar and as words. The bar's two parts — money received, then what is promised on
// top — are drawn against the goal; the words say the same for those who do not see the bar (its role and
// aria-valuetext carry the percentage and the amounts).

export type ProgressView = {
  goalCents: number;
  pledgedCents: number;
  collectedCents: number;
  promisedCents: number;
  contributors: number;
  percent: number;
};

const share = (part: number, goal: number) => (goal > 0 ? Math.min(100, (part * 100) / goal) : 0);

export function ProgressBar({ progress, id }: { progress: ProgressView; id: string }) {
  const { goalCents, collectedCents, promisedCents, pledgedCents, percent } = progress;
  const collected = share(collectedCents, goalCents);
  const promised = Math.min(100 - collected, share(promisedCents, goalCents));
  return (
    <div
      className="cf-bar"
      role="progressbar"
      aria-labelledby={id}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.min(percent, 100)}
      aria-valuetext={`${formatNumber(percent)} % de l'objectif : ${formatCents(pledgedCents)} sur ${formatCents(goalCents)}`}
    >
      <span className="cf-bar-collected" style={{ width: `${collected}%` }} />
      <span className="cf-bar-promised" style={{ width: `${promised}%` }} />
    </div>
  );
}

/** Bar, amounts, contributors and time left (or the result): the block of a card and of the campaign page. */
export function ProgressBlock({
  progress,
  phase,
  endsAt,
  startsAt,
  now,
  id,
  detailed = false,
}: {
  progress: ProgressView;
  phase: CampaignPhase;
  endsAt: string;
  startsAt: string;
  now: string;
  id: string;
  detailed?: boolean;
}) {
  return (
    <div className="cf-progress">
      <p className="cf-progress-headline" id={id}>
        <strong className="cf-amount">{formatCents(progress.pledgedCents)}</strong>{" "}
        <span className="muted">sur {formatCents(progress.goalCents)}</span>
        <span className="cf-percent">{formatNumber(progress.percent)} %</span>
      </p>
      <ProgressBar progress={progress} id={id} />
      <ul className="cf-progress-facts">
        <li>
          <strong>{formatNumber(progress.contributors)}</strong>{" "}
          {progress.contributors > 1 ? "contributeurs" : "contributeur"}
        </li>
        <li>
          <PhaseFact phase={phase} endsAt={endsAt} startsAt={startsAt} now={now} />
        </li>
      </ul>
      {detailed ? (
        <p className="cf-legend">
          <span className="cf-key cf-key-collected" aria-hidden="true" /> {formatCents(progress.collectedCents)} reçus
          <span className="cf-key cf-key-promised" aria-hidden="true" /> {formatCents(progress.promisedCents)} promis
          (cartes enregistrées, virements et chèques annoncés)
        </p>
      ) : null}
    </div>
  );
}

function PhaseFact({
  phase,
  endsAt,
  startsAt,
  now,
}: {
  phase: CampaignPhase;
  endsAt: string;
  startsAt: string;
  now: string;
}) {
  if (phase === "LIVE") return <strong>{timeLeftLabel(endsAt, now)}</strong>;
  if (phase === "UPCOMING")
    return (
      <>
        Ouvre le <strong>{formatDate(startsAt)}</strong>
      </>
    );
  return <span className={`badge cf-phase-${phase.toLowerCase()}`}>{PHASE_LABELS[phase]}</span>;
}
