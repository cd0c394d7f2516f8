/**
 * Structured logs (pino). Tokens, secrets and note text never reach the log: the redact paths
 * below censor them wherever they appear in a logged object.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export const REDACT_PATHS = [
  'token',
  'accessToken',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'clientSecret',
  'CLIENT_SECRET',
  'note',
  '*.note',
  '*.token',
  '*.accessToken',
  '*.authorization',
  'value.note',
];

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'dplan' } }, destination);
}
