/**
 * Waits for a condition a test can observe (a process has answered, a lease has changed hands),
 * polling on the event loop; fails naming what it waited for. Never a fixed sleep: it returns as soon
 * as the condition holds, so it is fast on an idle machine and patient on a busy one.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; what: string; everyMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${options.what}`);
    await new Promise((r) => setTimeout(r, options.everyMs ?? 50));
  }
}
