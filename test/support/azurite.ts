/**
 * Microsoft's storage emulator, Azurite (npm `azurite`, offline), started on free loopback ports for
 * a test file: blob, queue and table services in a fresh folder (in memory where the system has a
 * RAM disk, /dev/shm), telemetry off, the folder removed when it stops.
 *
 * Not `--inMemoryPersistence`: that keeps every queue message as an extent of its own, and Azurite's
 * queue clean-up (every 60 s) removes each deleted one from an index that is rebuilt per removal,
 * which froze the emulator for 1 to 4 s in every multi-instance run (2,000 messages; bench/load.ts).
 * On disk, messages share extent files and the clean-up costs nothing worth measuring. Stands in for the storage
 * account exactly as the app reaches it in Azure (connection string, same SDKs).
 * https://learn.microsoft.com/azure/storage/common/storage-use-azurite
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './paths';

/** Azurite's well-known development account (public, documented on the page above). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  connectionString: string;
  blobUrl: string;
  queueUrl: string;
  tableUrl: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const bin = path.join(REPO, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
  // --silent: no access log line per request (thousands a second under load, each written and read back here).
  const location = fs.mkdtempSync(path.join(ramDisk() ?? os.tmpdir(), 'dplan-azurite-'));
  const args = ['--location', location, '--disableTelemetry', '--skipApiVersionCheck', '--loose', '--silent'];
  for (const service of ['blob', 'queue', 'table']) args.push(`--${service}Host`, '127.0.0.1', `--${service}Port`, '0');
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const found: Record<string, string> = {};
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const m of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/[\d.]+:\d+)/g)) {
        found[m[1]!.toLowerCase()] = m[2]!;
      }
      if (found.blob && found.queue && found.table) {
        // Listening: what it prints from now on is read and dropped (not kept and searched again).
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      fs.rmSync(location, { recursive: true, force: true });
      reject(new Error(`Azurite stopped before it listened (exit ${code}):\n${output}`));
    });
  });
  const blobUrl = `${urls.blob}/${DEV_ACCOUNT}`;
  const queueUrl = `${urls.queue}/${DEV_ACCOUNT}`;
  const tableUrl = `${urls.table}/${DEV_ACCOUNT}`;
  return {
    blobUrl,
    queueUrl,
    tableUrl,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${blobUrl};QueueEndpoint=${queueUrl};TableEndpoint=${tableUrl};`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      fs.rmSync(location, { recursive: true, force: true });
    },
  };
}

/** Linux's RAM-backed temporary folder, if this process may write there and it has room (containers often give it 64 MB). */
function ramDisk(): string | undefined {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    const { bavail, bsize } = fs.statfsSync('/dev/shm');
    return bavail * bsize >= 512 * 1024 * 1024 ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}
