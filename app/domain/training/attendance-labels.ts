import type { AttendanceStatus } from "~/generated/prisma/enums";

// Words of attendance and satisfaction the browser shows as well as the server (decision 020).

export const ATTENDANCE_STATUSES = [
  "PRESENT",
  "LATE",
  "ABSENT",
  "EXCUSED",
] as const satisfies readonly AttendanceStatus[];

export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  PRESENT: "Présent·e",
  LATE: "En retard",
  ABSENT: "Absent·e",
  EXCUSED: "Excusé·e",
};

/** One letter per status, for the attendance sheet's cells and compact summaries. */
export const ATTENDANCE_SHORT: Record<AttendanceStatus, string> = {
  PRESENT: "P",
  LATE: "R",
  ABSENT: "A",
  EXCUSED: "E",
};

export type HalfDayPeriod = "MORNING" | "AFTERNOON";

export const PERIOD_LABELS: Record<HalfDayPeriod, string> = { MORNING: "matin", AFTERNOON: "après-midi" };

/** The four questions of the satisfaction form, each scored 1 to 5. */
export const SATISFACTION_QUESTIONS = [
  { name: "overall", label: "Dans l'ensemble, êtes-vous satisfait·e de la formation ?" },
  { name: "content", label: "Le contenu a-t-il répondu à vos attentes ?" },
  { name: "trainer", label: "Comment jugez-vous l'animation du formateur ou de la formatrice ?" },
  { name: "organisation", label: "Comment jugez-vous l'organisation (accueil, salle, horaires) ?" },
] as const;

export type SatisfactionQuestion = (typeof SATISFACTION_QUESTIONS)[number]["name"];

/** What each score means, from 1 to 5. */
export const SCORE_LABELS = [
  "Pas du tout satisfait·e",
  "Peu satisfait·e",
  "Moyennement",
  "Satisfait·e",
  "Très satisfait·e",
];
