// @ts-check
// Times as a person reads them: local clock time, and "in 12 minutes" / "3 hours ago".
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dateClock = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "14:05" today, "12 Mar 2026, 14:05" on another day; "never" for nothing. */
export function formatTime(value) {
  if (value === null || value === undefined || value === "") return "never";
  const date = value instanceof Date ? value : new Date(typeof value === "number" ? value * 1000 : value);
  if (Number.isNaN(date.getTime())) return String(value);
  const today = new Date();
  return date.toDateString() === today.toDateString() ? clock.format(date) : dateClock.format(date);
}

/** "in 15 minutes", "3 hours ago". */
export function fromNow(value, now = Date.now()) {
  const date = value instanceof Date ? value : new Date(typeof value === "number" ? value * 1000 : value);
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(Math.round(seconds), "second");
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86400), "day");
}
