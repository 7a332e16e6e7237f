// Public face of trainings (decision 020): the catalogue and sign-ups with their seats held in the database.
// Payments, the waiting list, attendance, documents, the books and the pages come next (issue 15); the stream
// joins the registry with its payment purpose.
export { createCourse, scheduleSession, type CourseInput, type SessionInput } from "./catalogue.server";
export { signUp, cancelRegistration, expireLapsedHolds, SEAT_HOLDING, type SignUpInput } from "./registrations.server";
