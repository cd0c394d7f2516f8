/** How the CLI talks: results on stdout, progress and messages on stderr, errors as one clear line. */
import { AppError, PlanFormatError } from '../errors';

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;
/** Bad input (malformed plan, invalid value, unknown plan): the message says what to fix. */
export const EXIT_BAD_INPUT = 2;

/** DPLAN_DEBUG from the configuration: unexpected errors print their stack. */
let debug = false;
export function setDebug(on: boolean): void {
  debug = on;
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Reports progress of long work every 10 % (and at the end) on stderr. */
export function progressReporter(label: string): (p: { done: number; total: number }) => void {
  let lastDecile = -1;
  return ({ done, total }) => {
    const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (decile === lastDecile && done !== total) return;
    lastDecile = decile;
    process.stderr.write(`${label}: ${done}/${total} (${total === 0 ? 100 : Math.round((done / total) * 100)}%)\n`);
  };
}

/** Runs a command action, turning errors into a message and an exit code instead of a stack trace. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof PlanFormatError) {
        process.stderr.write(`dplan: ${err.message}\n`);
        process.exitCode = EXIT_BAD_INPUT;
      } else if (err instanceof AppError) {
        process.stderr.write(`dplan: ${err.message}\n`);
        process.exitCode = EXIT_BAD_INPUT;
      } else {
        process.stderr.write(`dplan: unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
        if (debug) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
        process.exitCode = EXIT_UNEXPECTED;
      }
    }
  };
}
