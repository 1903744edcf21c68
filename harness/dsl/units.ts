/** Units the scenario language speaks in. */
export const minute = 60;
export const mebibyte = 1024 * 1024;
export const iso = (ms: number) => new Date(ms).toISOString();
