/**
 * What the importer accepts, said once: every reader checks against these before doing the work,
 * so a hostile file is refused within seconds and in bounded memory. The README lists them.
 */
import fs from 'node:fs/promises';
import { constants } from 'node:fs';
import { PlanFormatError } from '../errors';

export const LIMITS = {
  /** Largest plan file read, in bytes (20 MB). */
  maxFileBytes: 20 * 1024 * 1024,
  /** Most items (actions and projects) in one plan. */
  maxItems: 20_000,
  /** Most rows in a CSV or XLSX sheet: the items plus room for the plan, objectives and recommendations. */
  maxRows: 21_000,
  /** Most bytes a .xlsx or .docx may unpack to, all parts together (100 MB). */
  maxUnpackedBytes: 100 * 1024 * 1024,
  /** Most parts (files) inside a .xlsx or .docx. */
  maxZipEntries: 2_000,
  /** Most shared strings an XLSX may declare or hold. */
  maxSharedStrings: 500_000,
  /** Most cells a CSV row or XLSX row may hold. */
  maxColumns: 200,
} as const;

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** Refuses data over the size limit (for bodies that did not come from a file). */
export function checkSize(size: number, file: string): void {
  if (size > LIMITS.maxFileBytes)
    throw new PlanFormatError(
      0,
      `the file is ${megabytes(size)}; plans larger than ${megabytes(LIMITS.maxFileBytes)} are not read (split the plan, or remove pictures and tracked changes)`,
      file,
    );
}

/**
 * Reads a plan file: a regular file only (never a device, FIFO or socket, which could block or
 * never end), at most `LIMITS.maxFileBytes`. The file is opened non-blocking and checked again on
 * the open handle, so a file swapped for a FIFO between the two checks is still refused.
 */
export async function readPlanBytes(file: string): Promise<Buffer> {
  let kind: string;
  try {
    const stat = await fs.stat(file);
    kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : stat.isFIFO() ? 'pipe' : stat.isSocket() ? 'socket' : 'device';
    if (kind === 'file') checkSize(stat.size, file);
  } catch (err) {
    if (err instanceof PlanFormatError) throw err;
    throw openError(err, file);
  }
  if (kind !== 'file')
    throw new PlanFormatError(0, `is a ${kind}, not a regular file: give the path of a plan file (.md, .docx, .csv or .xlsx)`, file);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw openError(err, file);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new PlanFormatError(0, 'is not a regular file (it changed while being opened)', file);
    checkSize(stat.size, file);
    // Read at most one byte past the limit: a file that grows while being read is still bounded.
    const buffer = Buffer.alloc(Math.min(stat.size, LIMITS.maxFileBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > stat.size) throw new PlanFormatError(0, 'the file grew while it was being read: save it and try again', file);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function openError(err: unknown, file: string): PlanFormatError {
  const code = (err as NodeJS.ErrnoException).code;
  return new PlanFormatError(
    0,
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a folder, not a file'
        : code === 'EACCES'
          ? 'cannot be read: permission denied'
          : `cannot read the file (${code ?? 'error'})`,
    file,
  );
}
