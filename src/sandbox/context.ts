/**
 * The state one running sandbox shares between its route modules: the resolved options, the
 * core (users, attributes, tokens), the fault and late-apply queues, the value change log, the
 * throttle and the call log. `startSandbox` (./server) creates one per server; the API calls
 * (./api-calls), the admin API (./admin) and the pages (./pages) each take it.
 */
import { resolveOptions, SandboxCore, type SandboxConfig } from './core';
import { ChangeLog, FaultQueue, LateQueue } from './faults';
import { Throttle } from './throttle';
import type { SandboxCall, SandboxOptions } from './types';

/** The call log keeps this many most recent entries. */
const MAX_CALLS = 100_000;

export interface SandboxContext {
  readonly config: SandboxConfig;
  readonly core: SandboxCore;
  readonly faults: FaultQueue;
  readonly late: LateQueue;
  readonly changes: ChangeLog;
  readonly throttle: Throttle;
  readonly calls: SandboxCall[];
  /** Appends to the call log (keeping the most recent MAX_CALLS). */
  log(call: SandboxCall): void;
  /** Applies the late calls that are due; returns how many ran. */
  runLateApplies(): number;
  /** `http://host:port`, set once the server listens. */
  baseUrl: string;
}

export function createContext(options: SandboxOptions): SandboxContext {
  const config = resolveOptions(options);
  const core = new SandboxCore(config);
  const faults = new FaultQueue();
  const late = new LateQueue();
  const changes = new ChangeLog();
  const throttle = new Throttle({
    limit: config.rateLimit,
    windowMs: config.rateWindowSeconds * 1000,
    window: config.rateWindow,
    retryAfter: config.rateLimitRetryAfter,
  });
  const calls: SandboxCall[] = [];
  return {
    config,
    core,
    faults,
    late,
    changes,
    throttle,
    calls,
    log: (call) => {
      calls.push(call);
      if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
    },
    runLateApplies: () => late.runDue(core.now()),
    baseUrl: '',
  };
}
