/**
 * The tenant's 50 requests/s split between live instances (state/azure/instanceHeartbeats.ts): the
 * shares add up to 50, and while instances see a stopped one differently they never add up to more.
 */
import { shareOf } from '../../src/state/azure/instanceHeartbeats';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `host:${1000 + i}:start`);

/** Every way of choosing `k` of `list`. */
function choose<T>(list: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  return list.flatMap((x, i) => choose(list.slice(i + 1), k - 1).map((rest) => [x, ...rest]));
}

describe('shares of the per-tenant budget', () => {
  it('adds up to the whole 50 for up to 9 instances, three sharing it 17, 17 and 16', () => {
    const three = ids(3);
    expect(three.map((id) => shareOf(50, new Set(three), id))).toEqual([17, 17, 16]);
    for (let n = 1; n <= 9; n++) {
      const live = new Set(ids(n));
      expect([...live].reduce((sum, id) => sum + shareOf(50, live, id), 0)).toBe(50);
    }
  });

  it('never adds up to more than 50 while some instances still see stopped ones and others do not', () => {
    for (let live = 1; live <= 12; live++)
      for (let gone = 1; gone <= 3; gone++) {
        const everyone = ids(live + gone);
        for (const stopped of choose(everyone, gone)) {
          const running = everyone.filter((id) => !stopped.includes(id));
          // Each running instance at the most it could take, over every set of stopped ones it may still see.
          const most = running.map((id) =>
            Math.max(
              ...choose(stopped, 0)
                .concat(...stopped.map((_, k) => choose(stopped, k + 1)))
                .map((seen) => shareOf(50, new Set([...running, ...seen]), id)),
            ),
          );
          expect(most.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(50);
        }
      }
  });
});
