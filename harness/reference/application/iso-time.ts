// How the reference writes an instant on the wire: RFC 3339 in UTC with milliseconds.

/**
 * The instant `ms` (epoch milliseconds) as `Date.prototype.toISOString` writes it. Not
 * remembered: the instants written most, recovery points' times, are kept written with their
 * listing (recovery-point-listing.ts), and the rest (clocks, jobs) are few and mostly new.
 */
export const iso = (ms: number): string => new Date(ms).toISOString();
