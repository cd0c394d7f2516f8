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
 */
export interface EarlyAnswer {
  ok: boolean;
  status: number;
  statusText: string;
  text: string;
}

declare global {
  interface Window {
    dplanBoot?: DplanBoot;
  }
}
