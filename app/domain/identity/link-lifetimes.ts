// How long emailed links stay valid. Shared with the pages that announce it: a `.server` module's constants are
// emptied from the browser bundle, and the page would hydrate to "valable  minutes".
export const RESET_TOKEN_MINUTES = 60;
export const SIGN_UP_LINK_HOURS = 24;
