/**
 * The jobs service's history import commands: preview a CSV, and import it by queueing each
 * valid row as a set through the outbox, then flushing with progress. The parsing and
 * checking are ./import's (streamed); this module only wires them to the outbox port.
 */
import type { ImportPreview } from '../../shared/ipc-contract';
import type { IsoDate } from '../../shared/domain';
import { UserError } from '../errors';
import { callsFor, previewImport, scanImport } from './import';
import type { JobsServiceDeps } from './index';

export interface ImportCommands {
  preview(csv: string, attribute?: string): Promise<ImportPreview>;
  importCsv(csv: string, attribute?: string): Promise<{ queued: number; calls: number }>;
}

export function createImportCommands(
  deps: Pick<JobsServiceDeps, 'attribute' | 'enqueueSet' | 'flush' | 'onImportProgress' | 'onOutboxProgress'>,
  today: () => IsoDate,
): ImportCommands {
  async function preview(csv: string, attribute?: string): Promise<ImportPreview> {
    return previewImport({ csv, attribute, lookup: deps.attribute, today: today() });
  }

  async function importCsv(csv: string, attribute?: string): Promise<{ queued: number; calls: number }> {
    const progress = (x: { sent: number; total: number }) => {
      try {
        deps.onImportProgress?.(x);
      } catch {
        // a closed window must not stop the import
      }
    };
    // Streamed (import.ts): each checked batch is queued and durable before the next is read;
    // nothing is sent until all are queued, so batches stay full (⌈rows/35⌉ calls).
    const ctx = { csv, attribute, lookup: deps.attribute, today: today() };
    const { errors, count } = await scanImport(ctx, async (rows) => {
      await Promise.all(rows.map((r) => deps.enqueueSet(r.attribute, r.date, r.value)));
    });
    if (count === 0)
      throw new UserError(
        'nothing-to-import',
        errors.length > 0
          ? `No row can be imported: ${errors
              .slice(0, 3)
              .map((e) => `line ${e.line}: ${e.message}`)
              .join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}.`
          : 'The file has no rows to import.',
      );
    progress({ sent: 0, total: count });
    const unsubscribe = deps.onOutboxProgress?.((x) => progress(x));
    try {
      await deps.flush();
    } catch {
      // durably queued: the outbox sends the rest later
    } finally {
      unsubscribe?.();
    }
    return { queued: count, calls: callsFor(count) };
  }

  return { preview, importCsv };
}
