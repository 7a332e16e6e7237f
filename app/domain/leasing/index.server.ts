// Public face of the land: plots, applications in the queue, offers, leases, rent schedules, indexation.
export { plotsWithStatus, findPlot, PLOT_STATUS_LABELS, type PlotStatus, type PlotWithStatus } from "./plots.server";
export { boundsFor, listBounds, saveBounds, listIndexes, currentIndex, saveIndex } from "./terms.server";
export { submitApplication, personApplication, listApplications, getApplication, addNote, withdrawApplication, type ApplicationInput } from "./applications.server";
export { offerPlot, acceptOffer, declineOffer, passToNext, expireOffers, type OfferInput } from "./offers.server";
export { writeSchedule, invoiceInstalment, invoiceDueInstalments, confirmInstalmentPaid, instalmentCheckout, landPaymentHandlers, LAND_RENT_ACCOUNT } from "./instalments.server";
export { listLeases, getLease, personLeases, renewLease, giveNotice, endFinishedLeases, previewIndexation, applyIndexation, listOverdue, remindOverdue, type IndexationLine } from "./leases.server";
export { savePlot, type PlotInput } from "./admin.server";
export { sweepLand } from "./housekeeping.server";
export { landForecast } from "./forecast.server";
export { siteShapeIds, shapeChoices, savePlotChecked, landOverview, overdueWithInvoices, leaseRegister, applicationsQueue, plotFilter, peopleNames, saveLandSettings } from "./staff.server";
export { readSitePlan, type SitePlan, type PlanShape } from "./site-plan.server";
export { getLeaseDocument, indexClause, termLabel, INSTALMENT_STATUS_LABELS, LEASE_STATUS_LABELS, type LeaseDocument } from "./lease-document.server";
export { renderLeasePdf, leasePdfResponse } from "./lease-pdf.server";
