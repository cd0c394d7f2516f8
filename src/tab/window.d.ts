/** What the page's inline boot script (boot.ts) leaves on window for the tab's code. */
export interface DplanBoot {
  /** Whether teams-js should be asked to connect (it would never answer in a plain browser). */
  hosted: boolean;
  /** The opening request (GET /api/start), already on its way: plain browser only, taken once. */
  start?: Promise<Response>;
}

declare global {
  interface Window {
    dplanBoot?: DplanBoot;
  }
}
