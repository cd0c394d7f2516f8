/**
 * The HTTP status of a failed Azure Storage call (tables, queues, blobs): every SDK's RestError
 * carries it as `statusCode`. Read by shape, not `instanceof`: each SDK package may bring its own
 * copy of the RestError class.
 */
export const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number } | undefined)?.statusCode;
