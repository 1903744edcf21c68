// How the reference writes an instant on the wire: RFC 3339 in UTC with milliseconds, exactly
// as Date.prototype.toISOString writes it.

const dayMs = 86_400_000;
const digits = (n: number, width: number) =>
  Array.from({ length: n }, (_, i) => String(i).padStart(width, "0"));
const twoDigits = digits(60, 2);
const threeDigits = digits(1000, 3);

/** The last day written: its first instant (epoch ms) and its "YYYY-MM-DDT". */
let day = Number.NaN;
let dayText = "";

/**
 * The instant `ms` (epoch milliseconds) as `Date.prototype.toISOString` writes it (RangeError
 * when it is no valid time). Listings write thousands of instants of one day in a row
 * (recovery points seconds apart): the day is written by toISOString once, the time of day
 * from tables.
 */
export function iso(ms: number): string {
  const start = Math.floor(ms / dayMs) * dayMs;
  if (start !== day || !Number.isInteger(ms)) {
    const text = new Date(ms).toISOString();
    // Years past 9999 or before 0 are written with six digits and a sign: not remembered.
    if (text.length === 24 && Number.isInteger(ms)) {
      day = start;
      dayText = text.slice(0, 11);
    }
    return text;
  }
  const inDay = ms - start;
  const seconds = Math.floor(inDay / 1000);
  return `${dayText}${twoDigits[Math.floor(seconds / 3600)]}:${twoDigits[Math.floor(seconds / 60) % 60]}:${twoDigits[seconds % 60]}.${threeDigits[inDay % 1000]}Z`;
}
