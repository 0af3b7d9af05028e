/** Errors of the input limits, in a module of their own so that the CLI can name them without loading the checks. */
/** A limit's environment variable holds no positive number (exit 2). */
export class LimitSettingError extends Error {}
