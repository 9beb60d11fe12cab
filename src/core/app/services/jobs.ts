/**
 * The jobs service's wiring into the app: scheduled jobs and CSV imports write through the
 * session's outbox, with the session's timezone and owned list. The service itself is
 * src/core/jobs; its handlers are `jobsHandlers` there.
 */
import { createJobsService, type JobsService } from '../../jobs';
import type { AppContext } from '../context';

export function createAppJobs(ctx: AppContext): JobsService {
  const s = ctx.session;
  const outbox = () => s().outbox.require();
  return createJobsService({
    dataDir: ctx.deps.dataDir,
    clock: ctx.deps.clock,
    timezone: () => s().timezone(),
    enqueueSet: (name, date, value) => outbox().enqueue({ kind: 'set', name, date, value }),
    flush: () => outbox().flush(),
    attribute: (name) =>
      s()
        .owned.ensure(name)
        .catch(() => undefined),
    // The jobs service already tells each job's failure once per episode (and remembers it across restarts).
    notifyOnce: (kind, title, body) => ctx.notices.notify(kind, title, body),
    clearNotice: () => {},
    onJobsChanged: (list) => ctx.push('jobs:changed', list),
    onImportProgress: (p) => ctx.push('import:progress', p),
    onOutboxProgress: (l) =>
      outbox().onChange((e) => {
        if (e.type === 'progress') l({ sent: e.sent, total: e.total });
      }),
  });
}
