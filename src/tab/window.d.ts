/** What the page's inline boot script (boot.ts) leaves on window for the tab's code. */
export interface DplanBoot {
  /** Whether teams-js should be asked to connect (it would never answer in a plain browser). */
  hosted: boolean;
  /** The opening request (GET /api/start), already on its way and read: plain browser only, taken once. */
  start?: Promise<EarlyAnswer>;
}

/**
 * An answer read in full as it arrives: a body left unread stalls in the browser's pipe (and the
 * server's send with it) until the code reads it, and its decoding would then wait for the code too.
 * It is parsed as it arrives as well: on a first visit the answer is in before the code, and parsing
 * a 2,000-item plan (~20-30 ms in a fresh tab) then fills the wait instead of delaying the first rows.
 */
export interface EarlyAnswer {
  ok: boolean;
  status: number;
  statusText: string;
  /** The body parsed; absent when it is not JSON. */
  json?: { value: unknown };
}

declare global {
  interface Window {
    dplanBoot?: DplanBoot;
  }
}
