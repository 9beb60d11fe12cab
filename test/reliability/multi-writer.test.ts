/**
 * Reliability with several writers: two and three installations (separate data folders,
 * same OAuth client, same account) increment the same attributes and days under lost
 * answers, late applies, 429s without Retry-After and answers without dates. Every day
 * ends exact or flagged, and every flag is genuine (see multi-writer.ts). Reproduce with
 * RELIABILITY_SEED=… npx vitest run test/reliability/multi-writer.test.ts
 */
import { describe, expect, it } from 'vitest';
import { runMultiWriter } from './multi-writer';

const SEED = Number(process.env.RELIABILITY_SEED ?? 0x5eed_0013);

describe('reliability: several writers, late answers', () => {
  for (const writers of [2, 3] as const) {
    it(`${writers} installations on one account end exact or genuinely flagged, and each budget counts what the server counts`, async () => {
      const r = await runMultiWriter({ seed: SEED + writers, writers, writes: writers * 200 });
      console.log(`[reliability multi-writer seed=0x${(SEED + writers).toString(16)}] ${r.line}`);
      console.log(
        `  fault kinds: ${JSON.stringify(r.faultKinds)}; flagged days: ${r.flaggedDays}; budget vs server: ${JSON.stringify(r.counts)}`,
      );
      expect(r.problems).toEqual([]);
      expect(r.faults).toBeGreaterThan(30);
      for (const kind of ['drop-after', 'drop-before', 'late-apply', 'http-429'])
        expect(r.faultKinds[kind] ?? 0).toBeGreaterThan(0);
      for (const [budget, server] of r.counts) expect(budget).toBe(server);
      expect(r.line).toBe(
        `writers: ${writers}, writes: ${writers * 200}, faults: ${r.faults}, lost: 0, doubled: 0, flagged: ${r.flaggedItems} (all genuine)`,
      );
    }, 60_000);
  }
});
