import type { ReactNode } from "react";
import { SIGN_UP_LINK_HOURS } from "~/domain/identity/link-lifetimes";

/**
 * What a sign-up (on its own or on the way to a stream: an application, a pledge) answers, whether or not the
 * address has an account: the email tells its owner what comes next. `thenWhat` ends the sentence about the link,
 * `toWhat` the one about an existing account.
 */
export function CheckYourMailbox({
  email,
  thenWhat,
  toWhat = "",
  children,
}: {
  email: string;
  thenWhat: string;
  toWhat?: string;
  children: ReactNode;
}) {
  return (
    <div className="narrow">
      <h1>Vérifiez votre boîte mail</h1>
      <div className="notice notice-success" role="status">
        <p>Nous venons d'écrire à {email}.</p>
        <p>
          S'il s'agit d'une nouvelle adresse, le message contient un lien, valable {SIGN_UP_LINK_HOURS} heures, pour la
          confirmer{thenWhat}. Si un compte existe déjà avec cette adresse, le message explique comment vous connecter
          {toWhat}.
        </p>
      </div>
      <p>Rien reçu après quelques minutes ? Regardez dans les indésirables, ou recommencez en vérifiant l'adresse.</p>
      <p>{children}</p>
    </div>
  );
}
