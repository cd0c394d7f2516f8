/** Mounts the Teams bot at /api/messages (built by the bot issue). */
import type http from 'node:http';
import type express from 'express';
import type { AppDeps } from '../server/deps';

export interface BotHandle {
  stop(): Promise<void>;
}

export async function mountBot(_app: express.Express, _server: http.Server, _deps: AppDeps): Promise<BotHandle> {
  // Not built yet: the bot issue replaces this.
  return { stop: async () => undefined };
}
