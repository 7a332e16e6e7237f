import { Form, NavLink, useRouteLoaderData } from "@remix-run/react";
import type { RootData } from "~/root";

const OFFERS = [
  { to: "/espaces", label: "Espaces" },
  { to: "/terres", label: "Terres" },
  { to: "/formations", label: "Formations" },
  { to: "/financement", label: "Financement participatif" },
];

export function SiteHeader() {
  const data = useRouteLoaderData<RootData>("root");
  const viewer = data?.viewer;
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <a href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◐
          </span>
          <span>
            <span className="brand-name">{data?.pole.name ?? "Terrain Commun"}</span>
            <span className="brand-sub">Terrain Commun</span>
          </span>
        </a>
        <nav aria-label="Offres du pôle" className="main-nav">
          <ul>
            {OFFERS.map((o) => (
              <li key={o.to}>
                <NavLink to={o.to}>{o.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-label="Mon espace" className="account-nav">
          {viewer ? (
            <ul>
              {viewer.backoffice ? (
                <li>
                  <NavLink to="/gestion">Gestion</NavLink>
                </li>
              ) : null}
              {viewer.transparency ? (
                <li>
                  <NavLink to="/transparence">Transparence</NavLink>
                </li>
              ) : null}
              <li>
                <NavLink to="/compte">Mon compte</NavLink>
              </li>
              <li>
                <Form method="post" action="/deconnexion">
                  <button type="submit" className="link-button">
                    Se déconnecter
                  </button>
                </Form>
              </li>
            </ul>
          ) : (
            <ul>
              <li>
                <NavLink to="/connexion">Se connecter</NavLink>
              </li>
              <li>
                <NavLink to="/inscription" className="button button-small">
                  Créer un compte
                </NavLink>
              </li>
            </ul>
          )}
        </nav>
      </div>
    </header>
  );
}

export function SiteFooter() {
  const data = useRouteLoaderData<RootData>("root");
  if (!data) return null;
  const { pole } = data;
  return (
    <footer className="site-footer">
      <div className="site-footer-inner">
        <p>
          <strong>{pole.legalName}</strong> — {pole.legalForm}
          <br />
          {pole.addressLine}, {pole.postalCode} {pole.city}
        </p>
        <p className="muted">Pôle territorial de coopération économique · propulsé par Terrain Commun</p>
      </div>
    </footer>
  );
}
