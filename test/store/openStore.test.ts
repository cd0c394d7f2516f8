import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openStore } from '../../src/store/openStore';
import { SqlitePlanStore } from '../../src/store/sqlite/sqlitePlanStore';
import { makePlan } from './fixtures';

describe('openStore', () => {
  it('opens the embedded store at SQLITE_PATH by default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dplan-open-'));
    const file = path.join(dir, 'data', 'dplan.sqlite');
    const store = await openStore(loadConfig({ SQLITE_PATH: file }), createLogger('silent'));
    expect(store).toBeInstanceOf(SqlitePlanStore);
    await store.importPlan(makePlan(2));
    await store.close();
    expect(fs.existsSync(file)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
