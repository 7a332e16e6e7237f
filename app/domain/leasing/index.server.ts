// Public face of the land: plots, applications in the queue, offers, leases, rent schedules, indexation.
export { plotsWithStatus, findPlot, PLOT_STATUS_LABELS, type PlotStatus, type PlotWithStatus } from "./plots.server";
export { boundsFor, listBounds, saveBounds, listIndexes, currentIndex, saveIndex } from "./terms.server";
export {
  checkApplication,
  submitApplication,
  personApplication,
  getApplication,
  addNote,
  withdrawApplication,
  type ApplicationInput,
} from "./applications.server";
export {
  offerPlot,
  acceptOffer,
  declineOffer,
  expireOffers,
  plotWaitlist,
  type OfferInput,
  type PlotUnit,
} from "./offers.server";
export {
  invoiceInstalment,
  invoiceInstalmentNow,
  invoiceDueInstalments,
  confirmInstalmentPaid,
  instalmentCheckout,
} from "./instalments.server";
export {
  getLease,
  personLeases,
  renewLease,
  giveNotice,
  previewIndexation,
  applyIndexation,
  type IndexationLine,
} from "./leases.server";
export { sweepLand } from "./housekeeping.server";
export { landStream } from "./stream.server";
export { landForecast } from "./forecast.server";
export { landActivity } from "./activity.server";
export {
  shapeChoices,
  savePlotChecked,
  landOverview,
  overdueWithInvoices,
  leaseRegister,
  applicationsQueue,
  plotFilter,
  peopleNames,
  saveLandSettings,
} from "./staff.server";
export { readSitePlan, type SitePlan, type PlanShape } from "./site-plan.server";
export {
  getLeaseDocument,
  indexClause,
  termLabel,
  INSTALMENT_STATUS_LABELS,
  LEASE_STATUS_LABELS,
  type LeaseDocument,
} from "./lease-document.server";
export { leasePdfResponse } from "./lease-pdf.server";
export { landSignUpFollowUps, applicationInput, applyAsPerson, applyWithSignUp, APPLIED_PATH } from "./sign-up.server";
export { provisionPlot, provisionLandTerms } from "./provisioning.server";
