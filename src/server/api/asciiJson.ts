/**
 * JSON in ASCII only: every character above U+007E written as a \uXXXX escape, so the same JSON
 * value in bytes a browser decodes into a one-byte string. Chromium decodes the tab's 1.1 MB opening
 * (2,000 items) in about 5 ms that way, against 25–80 ms when a single en dash in the plan makes it
 * decode the whole body into a two-byte string; JSON.parse is quicker on it too. Used for the large
 * answers the tab waits on before its first rows (GET /api/start, an item list).
 *
 * The bytes of a frozen object are kept with it (a WeakMap, dropped with the object): both stores
 * hand out the same frozen item until it changes (the SQLite store until the database changes, the
 * Graph store while its cached row stands), so a second opening of a 2,000-item plan copies 1.1 MB
 * of bytes it wrote before instead of serialising it again (40 ms of the server's answer, with
 * JSON.stringify, the escapes and the UTF-8 encoding of a two-byte string, down to ~2 ms). An object
 * that is not frozen is written afresh every time: a frozen one cannot have changed since.
 */
import type express from 'express';

const written = new WeakMap<object, Buffer>();

export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  // One pass over the code units, copying the runs between escapes: on the 1 MB opening of a
  // 2,000-item plan 12-15 ms in all, where JSON.stringify and a global regex replace took 18-21 ms.
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x7f) continue;
    out += `${json.slice(from, i)}\\u${c.toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return from === 0 ? json : out + json.slice(from);
}

/** One value's ASCII JSON as bytes (latin1 is byte for byte the same as UTF-8 on ASCII, and quicker). */
function bytesOf(value: unknown): Buffer {
  if (value !== null && typeof value === 'object' && Object.isFrozen(value)) {
    let bytes = written.get(value);
    if (!bytes) {
      bytes = Buffer.from(asciiJson(value), 'latin1');
      written.set(value, bytes);
    }
    return bytes;
  }
  return Buffer.from(asciiJson(value), 'latin1');
}

const COMMA = Buffer.from(',');

/** An array's elements each by bytesOf (a frozen one from what was written before), as JSON.stringify lays them out. */
function arrayBytes(list: readonly unknown[], parts: Buffer[]): void {
  parts.push(Buffer.from('['));
  list.forEach((element, i) => {
    if (i > 0) parts.push(COMMA);
    // As JSON.stringify writes them in an array: null for what has no JSON of its own.
    parts.push(
      element === undefined || typeof element === 'function' || typeof element === 'symbol' ? Buffer.from('null') : bytesOf(element),
    );
  });
  parts.push(Buffer.from(']'));
}

/**
 * The bytes of `value` (an array, or a plain object whose fields may be arrays) in ASCII JSON, with
 * the frozen objects among the array elements taken from what was written before. The same JSON as
 * asciiJson(value).
 */
export function asciiJsonBytes(value: unknown): Buffer {
  const parts: Buffer[] = [];
  if (Array.isArray(value)) arrayBytes(value, parts);
  else if (
    value !== null &&
    typeof value === 'object' &&
    !Object.isFrozen(value) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  ) {
    parts.push(Buffer.from('{'));
    let first = true;
    for (const [key, field] of Object.entries(value)) {
      // Skipped as JSON.stringify skips them.
      if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
      parts.push(Buffer.from(`${first ? '' : ','}${asciiJson(key)}:`, 'latin1'));
      first = false;
      if (Array.isArray(field)) arrayBytes(field, parts);
      else parts.push(bytesOf(field));
    }
    parts.push(Buffer.from('}'));
  } else return bytesOf(value);
  return Buffer.concat(parts);
}

/** As res.json(value), written with asciiJsonBytes. */
export function sendAsciiJson(res: express.Response, value: unknown): void {
  res.type('application/json').send(asciiJsonBytes(value));
}
