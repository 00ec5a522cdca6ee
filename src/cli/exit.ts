/** Exit codes, as ESLint's and one more (documented in the README): a bug is never mistaken for bad input. */
export const EXIT = {
  /** Analysed, whatever the verdicts (unless --fail-on says otherwise). */
  ok: 0,
  /** A verdict named by --fail-on was found; `rules test`: an example failed. */
  verdictFound: 1,
  /** Usage or input error, with a message on stderr. */
  usageOrInput: 2,
  /** The report could not be written whole (a full disk, a closed stdout, a reader gone). */
  outputLost: 2,
  /** A bug: the message asks to report it. */
  internal: 3,
} as const;

/** A wrong option value: reported like yargs' own usage errors (exit 2), never as a bug. */
export class UsageError extends Error {}
