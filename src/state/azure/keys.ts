/**
 * Table keys from the app's ids. PartitionKey and RowKey may not hold / \ # ? or control characters,
 * and are at most 1 KiB: ids are percent-encoded for those characters (reversible, readable).
 * https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model#characters-disallowed-in-key-fields
 */
export function rowKey(id: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what table keys refuse
  const key = id.replace(/[%/\\#?\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  if (key.length > 1024) throw new RangeError(`A table key is at most 1 KiB; this id is ${key.length} characters`);
  return key;
}

export function idOfKey(key: string): string {
  return key.replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
