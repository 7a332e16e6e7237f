import { useEffect, useState } from "react";
import { formatDate } from "~/utils/format";

/** "Créneau retenu jusqu'à 14:32 (9 min 12 s)": the time is rendered on the server, the countdown in the browser. */
export function HoldCountdown({ until, what = "Créneau retenu" }: { until: string; what?: string }) {
  const end = new Date(until).getTime();
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setLeft(Math.max(0, end - Date.now()));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [end]);
  const minutes = left === null ? null : Math.floor(left / 60_000);
  const seconds = left === null ? null : Math.floor((left % 60_000) / 1000);
  return (
    <p className="hold-countdown">
      {what} pour vous jusqu'à <strong>{formatDate(until, "time")}</strong>
      {left !== null ? (
        left > 0 ? (
          <span className="muted">
            {" "}
            (encore {minutes} min {String(seconds).padStart(2, "0")} s)
          </span>
        ) : (
          <span> — délai dépassé, rechargez la page.</span>
        )
      ) : null}
    </p>
  );
}
