/**
 * Drives an outbox's own auto-flush in simulated time, for the pacing tests and
 * `npm run bench`: time moves to each timer the outbox set, and on only once that flush
 * has finished. Records, per queued item, when it was queued and when Exist confirmed it
 * (the click-to-Exist lag).
 */
import type { Outbox, OutboxOp } from '../../../src/core/outbox/index';
import type { VirtualClock } from '../../reliability/harness';

export class SimDriver {
  readonly queuedAt = new Map<string, number>();
  readonly syncedAt = new Map<string, number>();
  readonly interactiveIds = new Set<string>();

  constructor(
    private readonly outbox: Outbox,
    private readonly clock: VirtualClock,
  ) {
    outbox.onChange((e) => {
      if (e.type === 'item' && e.item.state === 'synced' && !this.syncedAt.has(e.item.id))
        this.syncedAt.set(e.item.id, clock.now());
    });
  }

  async write(op: OutboxOp, when: number, interactive: boolean): Promise<string> {
    await this.runUntil(when);
    const it = await this.outbox.enqueue(op, { interactive });
    this.queuedAt.set(it.id, this.clock.now());
    if (interactive) this.interactiveIds.add(it.id);
    return it.id;
  }

  async runUntil(t: number): Promise<void> {
    for (;;) {
      await this.outbox.idle();
      const next = this.clock.nextTimerAt();
      if (next === null || next > t) break;
      this.clock.advanceTo(next);
      await this.outbox.idle();
    }
    this.clock.advanceTo(t);
    await this.outbox.idle();
  }

  /** Runs every timer (retries included) until none is left, at most `maxMs` of simulated time. */
  async drain(maxMs = 48 * 3_600_000): Promise<void> {
    const end = this.clock.now() + maxMs;
    for (let next = this.clock.nextTimerAt(); next !== null && next <= end; next = this.clock.nextTimerAt())
      await this.runUntil(next);
  }

  /** Lags (ms) of the interactive items, in queue order; Infinity for one never synced. */
  clickLags(): number[] {
    return [...this.interactiveIds].map((id) => (this.syncedAt.get(id) ?? Infinity) - this.queuedAt.get(id)!);
  }
}

export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
