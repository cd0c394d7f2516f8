/**
 * Checks an Office file (.xlsx, .docx: a ZIP archive) before any library unpacks it: the central
 * directory is read here, every part is inflated once with a hard output cap (zlib's
 * `maxOutputLength`), and the totals are held to `LIMITS`. A ZIP bomb, a part that unpacks to more
 * than it declares, a workbook of millions of rows or a shared-strings bomb is refused in bounded
 * time and memory, with a message saying which bound it broke.
 */
import zlib from 'node:zlib';
import { PlanFormatError } from '../errors';
import { LIMITS, megabytes } from './limits';

export interface ZipPart {
  name: string;
  /** Unpacked content. */
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEndOfCentralDirectory(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) if (zip.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/**
 * Unpacks every part of `zip` under the limits, or throws PlanFormatError naming what is wrong.
 * `kind` names the file kind in messages ("workbook", "Word document").
 */
export function unpackOffice(zip: Buffer, file: string, kind: string): ZipPart[] {
  const fail = (message: string): never => {
    throw new PlanFormatError(0, message, file);
  };
  if (zip.length < 22 || zip.readUInt32LE(0) !== LOCAL)
    fail(`not a readable ${kind}: it is not a ZIP package (save it from Office as ${kind === 'workbook' ? '.xlsx' : '.docx'})`);
  const end = findEndOfCentralDirectory(zip);
  if (end < 0) fail(`not a readable ${kind}: its ZIP directory is missing (the file is cut off?)`);
  const entries = zip.readUInt16LE(end + 10);
  const dirSize = zip.readUInt32LE(end + 12);
  const dirOffset = zip.readUInt32LE(end + 16);
  if (entries === 0xffff || dirOffset === 0xffffffff) fail(`not a readable ${kind}: ZIP64 packages are not read (a plan never needs one)`);
  if (entries > LIMITS.maxZipEntries) fail(`the ${kind} holds ${entries} parts; more than ${LIMITS.maxZipEntries} are not read`);
  if (dirOffset + dirSize > end) fail(`not a readable ${kind}: its ZIP directory points past the end of the file (cut off?)`);

  const parts: ZipPart[] = [];
  let declared = 0;
  let unpacked = 0;
  let at = dirOffset;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) fail(`not a readable ${kind}: its ZIP directory is damaged`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) fail(`the ${kind} is password-protected (encrypted part "${name}"): save a copy without a password`);
    declared += size;
    if (declared > LIMITS.maxUnpackedBytes)
      fail(
        `the ${kind} unpacks to more than ${megabytes(LIMITS.maxUnpackedBytes)} (declared sizes); a plan is far smaller, so it is not read`,
      );
    if (name.endsWith('/')) continue;
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL) fail(`not a readable ${kind}: part "${name}" is missing`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > zip.length) fail(`not a readable ${kind}: part "${name}" is cut off`);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        // One byte more than declared: a part that unpacks past its declared size is caught here.
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(size, LIMITS.maxUnpackedBytes - unpacked) + 1) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
          fail(`part "${name}" of the ${kind} unpacks to more than it declares (a ZIP bomb?), so the file is not read`);
        fail(`not a readable ${kind}: part "${name}" is damaged (${(err as Error).message})`);
      }
      data = data!;
    } else fail(`not a readable ${kind}: part "${name}" uses ZIP method ${method}, which Office does not write`);
    if (data!.length !== size)
      fail(`part "${name}" of the ${kind} unpacks to ${data!.length} bytes, not the ${size} it declares: the file is damaged`);
    unpacked += data!.length;
    parts.push({ name, data: data! });
  }
  return parts;
}

function count(data: Buffer, needle: string, limit: number): number {
  const pattern = Buffer.from(needle);
  let n = 0;
  for (let i = data.indexOf(pattern); i >= 0 && n <= limit; i = data.indexOf(pattern, i + pattern.length)) n++;
  return n;
}

/** Bounds an XLSX needs beyond the ZIP's: shared strings and rows per sheet. */
export function checkWorkbookParts(parts: ZipPart[], file: string): void {
  for (const part of parts) {
    if (/^xl\/sharedStrings\.xml$/i.test(part.name)) {
      const declared = /\b(?:uniqueCount|count)="(\d+)"/.exec(part.data.toString('latin1', 0, 512));
      const strings = Math.max(
        Number(declared?.[1] ?? 0),
        count(part.data, '<si>', LIMITS.maxSharedStrings) + count(part.data, '<si ', LIMITS.maxSharedStrings),
      );
      if (strings > LIMITS.maxSharedStrings)
        throw new PlanFormatError(
          0,
          `the workbook holds more than ${LIMITS.maxSharedStrings.toLocaleString('en-GB')} shared strings; a plan holds far fewer, so it is not read`,
          file,
        );
    }
    const sheet = /^xl\/worksheets\/(.+)\.xml$/i.exec(part.name);
    if (sheet) {
      const rows = count(part.data, '<row', LIMITS.maxRows);
      if (rows > LIMITS.maxRows)
        throw new PlanFormatError(
          0,
          `sheet "${sheet[1]}" has more than ${LIMITS.maxRows.toLocaleString('en-GB')} rows; a plan has at most ${LIMITS.maxItems.toLocaleString('en-GB')} items, so it is not read`,
          file,
        );
    }
  }
}
