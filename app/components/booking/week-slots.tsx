import { IntentForm } from "~/components/forms";
import { toHhmm } from "~/domain/booking/time";
import { formatDate } from "~/utils/format";

type Day = {
  date: string;
  open: boolean;
  free: { start: number; end: number }[];
  slots: { start: number; end: number; label: string }[];
};

/**
 * The week's free time as a list, rendered on the server: each day's free ranges and its one-click slots
 * (each a small form), so booking works without JavaScript, with a keyboard, and in tests.
 */
export function WeekSlots({ days, today, formKey }: { days: Day[]; today: string; formKey: string }) {
  return (
    <ol className="week-slots" aria-label="Créneaux libres de la semaine">
      {days.map((day) => (
        <li key={day.date} className={day.date < today ? "day-past" : undefined}>
          <h3>{formatDate(`${day.date}T12:00:00Z`, "weekday")}</h3>
          {!day.open ? (
            <p className="muted">Fermé</p>
          ) : day.free.length === 0 ? (
            <p className="muted">{day.date < today ? "Passé" : "Complet"}</p>
          ) : (
            <>
              <p className="free-ranges">
                Libre : {day.free.map((f) => `${toHhmm(f.start)}–${toHhmm(f.end)}`).join(", ")}
              </p>
              {day.slots.length ? (
                <ul className="slot-buttons">
                  {day.slots.map((slot) => (
                    <li
                      key={`${slot.start}-${slot.end}`}
                      className={slot.end - slot.start > 60 ? "slot-wide" : undefined}
                    >
                      <IntentForm intent="hold">
                        <input type="hidden" name="idempotencyKey" value={formKey} />
                        <input type="hidden" name="date" value={day.date} />
                        <input type="hidden" name="start" value={toHhmm(slot.start)} />
                        <input type="hidden" name="end" value={toHhmm(slot.end)} />
                        <button
                          type="submit"
                          className="button button-small button-secondary"
                          aria-label={`Réserver ${formatDate(`${day.date}T12:00:00Z`, "weekday")}, ${slot.label}`}
                        >
                          {slot.label}
                        </button>
                      </IntentForm>
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </li>
      ))}
    </ol>
  );
}
