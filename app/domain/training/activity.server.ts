import type { AnnualActivity } from "~/domain/reporting/activity";
import { periodReport } from "./report.server";

// Trainings in the annual report (decision 025): the yearly report's own figures (bilan pédagogique et financier,
// decision 020) over the fiscal year — sessions delivered whose last part ended in it, their confirmed trainees,
// and hours × trainees from each programme's stated duration.
export const trainingActivity: AnnualActivity = async (tx, input) => {
  const report = await periodReport(tx, input);
  const { total } = report;
  return {
    figures: [
      { label: "Sessions réalisées", value: total.sessions, format: "count" },
      {
        label: "Formations différentes",
        value: report.courses.filter((c) => c.sessions > 0).length,
        format: "count",
      },
      { label: "Stagiaires", value: total.trainees, format: "count", note: "personnes distinctes" },
      { label: "Inscriptions", value: total.registrations, format: "count" },
      { label: "Heures-stagiaires", value: total.hours, format: "hours", note: "durée du programme × inscrits" },
    ],
    summary:
      "Sessions réalisées dont la dernière journée tombe dans l'exercice ; les heures-stagiaires sont celles du " +
      "bilan pédagogique et financier.",
  };
};
