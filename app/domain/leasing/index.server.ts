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
