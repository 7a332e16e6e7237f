// A field that people never see or fill; bots that fill every input reveal themselves.
export const HONEYPOT_FIELD = "site_web";

export function isHoneypotFilled(form: FormData) {
  const value = form.get(HONEYPOT_FIELD);
  return typeof value === "string" && value.trim().length > 0;
}
