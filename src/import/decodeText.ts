/**
 * Bytes of a text plan (.md, .csv) → text, with the encoding found from its byte order mark, by
 * strict UTF-8, or by `chardet` (a maintained port of ICU's detector) for the legacy encodings Excel
 * and older Word save in. UTF-16 and Windows-1252 are converted with a warning; anything else, and
 * bytes that are no text in any of them, are refused with the line. Windows-1252 is decoded by
 * `iconv-lite` (Node's TextDecoder reads that label as Latin-1, turning "–" into U+0096).
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { PlanFormatError } from '../errors';
import type { ImportWarning } from '../domain/model';

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as. */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  warnings: ImportWarning[];
}

/** Encodings read as Windows-1252 (its superset for printable text). */
const LATIN = new Set(['windows-1252', 'iso-8859-1', 'iso-8859-15']);

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8, and whether valid multi-byte sequences came before or after it. */
function utf8Scan(bytes: Uint8Array): { invalidAt: number; multiByte: boolean } {
  let invalidAt = -1;
  let multiByte = false;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need > 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      multiByte = true;
      i += need + 1;
    } else {
      if (invalidAt < 0) invalidAt = i;
      i++;
    }
  }
  return { invalidAt, multiByte };
}

/** A control character that no plan holds (NUL, other C0 codes, C1 codes from undefined Windows-1252 bytes). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/;

function checkText(text: string, file: string, how: string): void {
  const bad = CONTROL.exec(text);
  if (!bad) return;
  const line = text.slice(0, bad.index).split('\n').length;
  const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  throw new PlanFormatError(
    line,
    `this is not a text plan: it holds the control character U+${code}${how} (a binary file, or text in an encoding that cannot be told apart); save the plan as UTF-8 text`,
    file,
  );
}

function looksUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.6 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.6 && oddZero < pairs * 0.05) return 'utf-16be';
  return undefined;
}

export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  const warnings: ImportWarning[] = [];
  const utf16 = (encoding: 'utf-16le' | 'utf-16be', start: number, bom: boolean): DecodedText => {
    if ((bytes.length - start) % 2 !== 0)
      throw new PlanFormatError(0, 'the file is UTF-16 but ends half-way through a character (cut off?)', file);
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(start));
    } catch {
      throw new PlanFormatError(
        0,
        `the file is UTF-16${bom ? ' by its byte order mark' : ''} but holds bytes that are no UTF-16 text`,
        file,
      );
    }
    checkText(text, file, ' after reading it as UTF-16');
    warnings.push({
      line: 1,
      message: `the file is UTF-16 (${encoding === 'utf-16le' ? 'little' : 'big'}-endian)${bom ? '' : ' with no byte order mark'}: converted to UTF-8`,
    });
    return { text, encoding, warnings };
  };

  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16('utf-16le', 2, true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16('utf-16be', 2, true);
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  if (!hasBom) {
    const guess = looksUtf16(bytes);
    if (guess) return utf16(guess, 0, false);
  }
  const nul = body.indexOf(0);
  if (nul >= 0)
    throw new PlanFormatError(
      lineAt(body, nul),
      'this is a binary file, not a text plan (it holds NUL bytes): give a plan document (.md, .docx) or a CSV/XLSX export',
      file,
    );
  const scan = utf8Scan(body);
  if (scan.invalidAt < 0) {
    let text: string | undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      // Overlong forms or encoded surrogates: UTF-8 in shape only.
      throw new PlanFormatError(0, 'the file is not valid UTF-8 (overlong or surrogate sequences); save it again as UTF-8', file);
    }
    checkText(text, file, '');
    return { text, encoding: 'utf-8', warnings };
  }
  const line = lineAt(body, scan.invalidAt);
  const byte = `0x${body[scan.invalidAt]!.toString(16).toUpperCase().padStart(2, '0')}`;
  const mixed = (): never => {
    throw new PlanFormatError(
      line,
      `the file ${hasBom ? 'says it is UTF-8 (byte order mark)' : 'is partly UTF-8'} but byte ${byte} here is not: it mixes two encodings; save it again as UTF-8 (in Excel: "CSV UTF-8")`,
      file,
    );
  };
  if (hasBom) mixed();
  const candidates = chardet.analyse(body);
  const top = candidates[0];
  if (top && !LATIN.has(top.name.toLowerCase()) && top.name !== 'UTF-8' && top.confidence >= 50) {
    throw new PlanFormatError(
      line,
      `cannot read the file as text: byte ${byte} here is not UTF-8 and the file looks like ${top.name}, which is not read; save it as UTF-8 (in Excel: "CSV UTF-8")`,
      file,
    );
  }
  if (scan.multiByte) mixed();
  const text = iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 'win1252');
  checkText(text, file, ' after reading it as Windows-1252');
  const undefinedByte = text.indexOf('\uFFFD');
  if (undefinedByte >= 0)
    throw new PlanFormatError(
      text.slice(0, undefinedByte).split('\n').length,
      'cannot read the file as text: it is not UTF-8, and a byte here has no meaning in Windows-1252 either; save the plan as UTF-8',
      file,
    );
  warnings.push({
    line,
    message: `the file is not UTF-8 (byte ${byte} on this line): read as Windows-1252, what Excel saves as "CSV"; check characters such as £, – and ’ came through, or save it as "CSV UTF-8"`,
  });
  return { text, encoding: 'windows-1252', warnings };
}
