import type { RateUnit } from "~/generated/prisma/enums";
import { formatDayHours, WEEKDAYS, type OpeningHours } from "~/domain/identity/opening-hours";
import { formatDuration, UNIT_LABELS } from "~/domain/booking/rules";
import { formatCents } from "~/utils/format";

// What a person reads before booking: capacity, equipment, hours, and the prices per unit, VAT included.

export function ResourceFacts({
  resource,
  hours,
}: {
  resource: {
    kind: string;
    capacity: number;
    equipment: string[];
    minMinutes: number;
    maxMinutes: number;
    space: { name: string; building: string; floor: string };
  };
  hours: OpeningHours;
}) {
  return (
    <dl className="details resource-facts">
      <dt>Lieu</dt>
      <dd>{[resource.space.name, resource.space.building, resource.space.floor].filter(Boolean).join(" · ")}</dd>
      <dt>Capacité</dt>
      <dd>
        {resource.capacity} personne{resource.capacity > 1 ? "s" : ""}
      </dd>
      {resource.equipment.length ? (
        <>
          <dt>Équipement</dt>
          <dd>{resource.equipment.join(", ")}</dd>
        </>
      ) : null}
      <dt>Durée</dt>
      <dd>
        de {formatDuration(resource.minMinutes)} à {formatDuration(resource.maxMinutes)}, dans la journée
      </dd>
      <dt>Ouverture</dt>
      <dd>
        <ul className="plain-list hours-list">
          {WEEKDAYS.filter(({ key }) => hours[key].length).map(({ key, label }) => (
            <li key={key}>
              {label} : {formatDayHours(hours[key])}
            </li>
          ))}
        </ul>
      </dd>
    </dl>
  );
}

const ORDER: RateUnit[] = ["HOUR", "HALF_DAY", "DAY"];

export function RatesTable({
  rates,
  member,
  loggedIn,
}: {
  rates: { unit: RateUnit; memberCents: number; publicCents: number }[];
  member: boolean;
  loggedIn: boolean;
}) {
  const sorted = [...rates].sort((a, b) => ORDER.indexOf(a.unit) - ORDER.indexOf(b.unit));
  return (
    <>
      <table className="table rates-table">
        <caption className="visually-hidden">Tarifs TTC par durée</caption>
        <thead>
          <tr>
            <th scope="col">Durée</th>
            <th scope="col" className="num">
              Membres du pôle
            </th>
            <th scope="col" className="num">
              Tarif public
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.unit}>
              <th scope="row">
                {r.unit === "HALF_DAY"
                  ? "Demi-journée (jusqu'à 4 h)"
                  : UNIT_LABELS[r.unit].one[0].toUpperCase() + UNIT_LABELS[r.unit].one.slice(1)}
              </th>
              <td className={`num${member ? " rate-yours" : ""}`}>{formatCents(r.memberCents)}</td>
              <td className={`num${loggedIn && !member ? " rate-yours" : ""}`}>{formatCents(r.publicCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-hint">
        Prix TTC (TVA 20 % incluse). Le meilleur prix est calculé pour vous.{" "}
        {loggedIn
          ? member
            ? "Le tarif membre s'applique à vous."
            : "Le tarif membre s'applique aux sociétaires et aux personnes des organisations membres."
          : "Connectez-vous pour voir votre tarif."}
      </p>
    </>
  );
}
