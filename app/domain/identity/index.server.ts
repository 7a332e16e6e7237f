export { authenticate, updateProfile } from "./accounts.server";
export {
  confirmSignUp,
  pendingSignUp,
  requestSignUp,
  type SignUpFollowUp,
  type SignUpFollowUps,
} from "./sign-up.server";
export { changeMembership, getMembership, hasMemberRate, memberRateOf, listPeople } from "./people.server";
export { getOrganisation, listOrganisations, saveOrganisation, type OrganisationInput } from "./organisations.server";
export { requestPasswordReset, resetPassword, sendResetLink } from "./password-reset.server";
export { updatePoleSettings } from "./pole-settings.server";
export { createSession, deleteSession, findSessionPerson } from "./sessions.server";
export { hashPassword } from "./passwords.server";
export {
  provisionPole,
  provisionOrganisation,
  provisionPerson,
  type PoleProfile,
  type PoleRules,
  type OrganisationProvision,
  type PersonProvision,
} from "./provisioning.server";
export { DEFAULT_OPENING_HOURS } from "./opening-hours";
