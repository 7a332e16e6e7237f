import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { SiteFooter, SiteHeader } from "./components/layout";
import { useNonce } from "./components/nonce";
import styles from "./styles/app.css";
import annualReportStyles from "./styles/annual-report.css";
import bookingsStyles from "./styles/bookings.css";
import crowdfundingStyles from "./styles/crowdfunding.css";
import dashboardStyles from "./styles/dashboard.css";
import invoicesStyles from "./styles/invoices.css";
import landStyles from "./styles/land.css";
import ledgerStyles from "./styles/ledger.css";
import trainingsStyles from "./styles/trainings.css";
import { getViewer } from "./utils/auth.server";
import { can } from "./utils/permissions.server";
import { printedLegalForm } from "~/domain/ledger/legal-identity";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: ledgerStyles },
  { rel: "stylesheet", href: invoicesStyles },
  { rel: "stylesheet", href: dashboardStyles },
  { rel: "stylesheet", href: annualReportStyles },
  { rel: "stylesheet", href: bookingsStyles },
  { rel: "stylesheet", href: landStyles },
  { rel: "stylesheet", href: crowdfundingStyles },
  { rel: "stylesheet", href: trainingsStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Terrain Commun" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, person, membership } = await getViewer(request);
  return json({
    pole: {
      name: pole.name,
      legalName: pole.legalName,
      // As invoices print it: "SCIC SAS à capital variable" (decision 022).
      legalForm: printedLegalForm(pole),
      addressLine: pole.addressLine,
      postalCode: pole.postalCode,
      city: pole.city,
    },
    viewer: person
      ? {
          name: person.name,
          role: membership?.role ?? null,
          backoffice: can(membership?.role, "backoffice"),
          // Members reach the transparency page from the header; staff have the full dashboard in the back office.
          transparency: can(membership?.role, "transparency:view") && !can(membership?.role, "backoffice"),
        }
      : null,
  });
}

export type RootData = typeof loader;

function Document({ children, title }: { children: ReactNode; title?: string }) {
  const nonce = useNonce();
  // Lets browser tests (and anyone scripting the site) wait until the page reacts to clicks.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="fr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#contenu">
          Aller au contenu
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Document>
      <SiteHeader />
      <main id="contenu" className="page" tabIndex={-1}>
        <Outlet />
      </main>
      <SiteFooter />
    </Document>
  );
}

const ERROR_TEXT: Record<number, { title: string; text: string }> = {
  400: { title: "Demande incorrecte", text: "La demande envoyée n'a pas pu être comprise." },
  403: { title: "Accès refusé", text: "Vous n'avez pas les droits nécessaires pour voir cette page." },
  404: { title: "Page introuvable", text: "Cette page n'existe pas ou a été déplacée." },
  413: { title: "Envoi trop volumineux", text: "Le contenu envoyé dépasse la taille autorisée." },
  429: { title: "Trop de tentatives", text: "Merci de patienter quelques minutes avant de réessayer." },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const rootData = useRouteLoaderData<RootData>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const known = ERROR_TEXT[status] ?? {
    title: "Une erreur est survenue",
    text: "Nous n'avons pas pu afficher cette page. Réessayez dans un instant.",
  };
  const detail = isRouteErrorResponse(error) && typeof error.data?.message === "string" ? error.data.message : null;
  return (
    <Document title={`${known.title} — Terrain Commun`}>
      {rootData ? <SiteHeader /> : null}
      <main id="contenu" className="page narrow" tabIndex={-1}>
        <p className="eyebrow">Erreur {status}</p>
        <h1>{known.title}</h1>
        <p>{detail ?? known.text}</p>
        <p>
          <a className="button" href="/">
            Retour à l'accueil
          </a>
        </p>
      </main>
    </Document>
  );
}
