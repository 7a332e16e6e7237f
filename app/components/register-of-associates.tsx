import { formatCents, formatDate, formatNumber } from "~/utils/format";

// The register of associates as a table: one row per admitted share subscription, in order of admission.

export type RegisterView = {
  rows: {
    id: string;
    name: string;
    college: string;
    shares: number;
    amountCents: number;
    subscribedOn: string;
    admittedOn: string;
  }[];
  associates: number;
  shares: number;
  capitalCents: number;
};

export function RegisterTable({ register }: { register: RegisterView }) {
  if (register.rows.length === 0)
    return <p className="notice">Aucune souscription de parts n'a encore été admise par le conseil.</p>;
  return (
    <>
      <p className="muted">
        {formatNumber(register.associates)} associé(s), {formatNumber(register.shares)} part(s) sociale(s),{" "}
        {formatCents(register.capitalCents)} de capital souscrit.
      </p>
      <div className="table-scroll">
        <table className="table register-table">
          <caption className="visually-hidden">
            Registre des associés : souscriptions de parts sociales admises, dans l'ordre des admissions
          </caption>
          <thead>
            <tr>
              <th scope="col">Associé</th>
              <th scope="col">Collège</th>
              <th scope="col" className="num">
                Parts
              </th>
              <th scope="col" className="num">
                Montant
              </th>
              <th scope="col">Souscription</th>
              <th scope="col">Admission</th>
            </tr>
          </thead>
          <tbody>
            {register.rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.name}</th>
                <td>{r.college}</td>
                <td className="num">{formatNumber(r.shares)}</td>
                <td className="num">{formatCents(r.amountCents)}</td>
                <td>{formatDate(r.subscribedOn, "short")}</td>
                <td>{formatDate(r.admittedOn, "short")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
