// Public face of desks and rooms: catalogue, availability, holds, payment, cancellation, closures, booklets.
export { listSpaces, findResource, hoursOf, ratesOf, type ResourceWithRates } from "./catalogue.server";
export { busyRanges, weekAvailability, type DayAvailability } from "./availability.server";
export { holdBooking, type HoldInput } from "./holds.server";
export { bookOnBehalf, type OnBehalfInput } from "./on-behalf.server";
export {
  payWithPass,
  payOnSite,
  confirmFreeBooking,
  bookingCheckout,
  confirmOfflinePayment,
  bookingPath,
} from "./payment.server";
export { cancelBooking, markNoShow, recordLateFeePaid, lateFeeOf } from "./cancel.server";
export { closeResource, reopenResource } from "./closures.server";
export { reserveRoom, releaseRooms, type RoomReservation } from "./room-reservations.server";
export { listPassProducts, orderPass, buyPassByCard, personPasses, confirmPassPaidOffline } from "./passes.server";
export {
  personBookings,
  getPersonBooking,
  calendarBookings,
  listBookings,
  spaceCalendar,
  bookingsCsv,
  STATUS_LABELS,
  type BookingFilter,
} from "./queries.server";
export { sweepBookings, notifyFreedSlots } from "./housekeeping.server";
export { coworkingStream } from "./stream.server";
export { deskSlotWaitlist, joinSlotWaitlist, leaveSlotWaitlist, personSlotWaits } from "./waitlist.server";
export { coworkingForecast } from "./forecast.server";
export { coworkingActivity } from "./activity.server";
export { bookingsCalendar, type CalendarEvent } from "./ical.server";
export { activeFeed, renewFeed, revokeFeed, findFeed } from "./feeds.server";
export {
  getSpace,
  saveSpace,
  getResource,
  saveResource,
  upcomingClosures,
  updateBookingPolicy,
  getPassProduct,
  savePassProduct,
  listPendingPasses,
  pendingActions,
  getBookingForStaff,
  bookablePeople,
  bookableResources,
  spaceWeek,
  slotParts,
} from "./admin.server";
export { provisionSpace, provisionResource, provisionPassProduct, DEFAULT_RATES } from "./provisioning.server";
