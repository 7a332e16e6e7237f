// Public face of trainings (decision 020): the catalogue, sign-ups with their seats held in the database, payment
// (card, transfer or cheque, a funder), cancellation, the session's go/cancel decision and the books.
export { createCourse, updateCourse, scheduleSession, type CourseInput, type SessionInput } from "./catalogue.server";
export { signUp, expireLapsedHolds, SEAT_HOLDING, type SignUpInput } from "./registrations.server";
export {
  payRegistrationOffline,
  requestFunding,
  confirmFreeRegistration,
  registrationCheckout,
  confirmRegistrationPayment,
  confirmFunding,
  registrationPurpose,
  registrationPath,
  registrationRef,
  type FundingInput,
} from "./payment.server";
export { cancelRegistration, confirmSession, cancelSession, type CancelInput } from "./cancellation.server";
export { recogniseRegistration, trainingVat, sessionDates, TRAINING_REVENUE_ACCOUNT } from "./books.server";
export { reviewDeadlines } from "./deadlines.server";
export { trainingForecast } from "./forecast.server";
export { trainingActivity } from "./activity.server";
export {
  halfDaysOf,
  markAttendance,
  attendanceBoard,
  sessionForActor,
  isSessionTrainer,
  meetsAttendanceRule,
  CERTIFICATE_THRESHOLD_PERCENT,
  type HalfDay,
  type AttendanceMark,
  type AttendanceBoard,
  type MarkAttendanceInput,
  type Actor,
} from "./attendance.server";
export { deliverSession, certificatePath, type DeliverInput } from "./certificates.server";
export {
  sendSatisfactionForms,
  answerSatisfaction,
  satisfactionForm,
  sessionSatisfaction,
  satisfactionPath,
  type AnswerInput,
  type SatisfactionScores,
} from "./satisfaction.server";
export {
  attendanceSheet,
  renderAttendanceSheetPdf,
  certificateDocument,
  renderCertificatePdf,
  trainingPdfResponse,
  type AttendanceSheet,
  type CertificateDocument,
} from "./documents.server";
export { trainerSessions, trainsSessions } from "./trainers.server";
export { trainingStream } from "./stream.server";
export {
  seatWaitlist,
  seatOfferDeadline,
  passFreedSeat,
  joinSessionWaitlist,
  leaveSessionWaitlist,
  acceptSeatOffer,
  declineSeatOffer,
  personSessionWaits,
  sessionQueue,
  expireSeatOffers,
  type JoinInput,
  type PersonSessionWait,
  type SessionQueueRow,
} from "./waitlist.server";
export { moveRegistration, type MoveInput } from "./move.server";
export { plotPathCompletions, type PlotPathCompletion } from "./plot-path.server";
export {
  grantSeat,
  setTraineeType,
  updateTrainingSettings,
  recordFunderPayment,
  paidInvoices,
  type GrantSeatInput,
} from "./staff.server";
export {
  staffCourses,
  staffSessions,
  staffSession,
  sessionRegistrations,
  registrationCounts,
  registrationsCsv,
  cancelPreview,
  trainingRooms,
  polePeople,
  trainingFigures,
  sessionRow,
  partView,
  PEOPLE_LIMIT,
} from "./staff-queries.server";
export { yearlyReport, periodReport, reportYears, reportCsv, type YearlyReport } from "./report.server";
export {
  catalogue,
  coursePage,
  sessionForSignUp,
  poleFunders,
  personRegistrations,
  personRegistration,
  calendarTrainingParts,
  type AxisGroup,
  type CatalogueCourse,
  type RegistrationView,
  type SessionPart,
} from "./queries.server";
export { signUpWithAccount, checkSignUp, heldPath, trainingSignUpFollowUps } from "./sign-up.server";
