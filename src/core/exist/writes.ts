/**
 * The client's writes: acquire, release, create, update and increment, at most 35 objects a
 * call (checked before sending). A 200 means every object succeeded, a 202 that some failed;
 * both come back as `{status, success, failed}` with Exist's echo of each object kept, so the
 * outbox matches answers by (name, date), never by position. A failure after the request may
 * have reached Exist is `maybeApplied` (see ./transport).
 */
import { incrementSuccessSchema, writeAnswerSchema } from './schemas';
import type { Query, Transport } from './transport';
import type { ExistClient, WriteResult } from './types';
import { checkBatch, parseWith } from './validate';

export type ExistWrites = Pick<ExistClient, 'acquire' | 'release' | 'create' | 'update' | 'increment'>;

export function createWrites(transport: Transport): ExistWrites {
  async function write<T>(path: string, items: T[], query: Query = {}): Promise<WriteResult<T>> {
    const endpoint = `/api/2/${path}`;
    checkBatch(items, endpoint);
    if (items.length === 0) return { status: 200, success: [], failed: [] };
    const r = await transport.api('POST', path, query, items);
    const a = parseWith(writeAnswerSchema, r.json, endpoint, true, r.status);
    return {
      status: r.status === 202 ? 202 : 200,
      success: a.success as Array<T & Record<string, unknown>>,
      failed: a.failed.map((f) => ({ ...f, error: f.error ?? f.error_code })) as Array<
        T & { error_code: string; error: string }
      >,
    };
  }

  return {
    acquire: (items, o = {}) =>
      write('attributes/acquire/', items, { success_objects: o.successObjects ? 1 : undefined }),
    release: (items) => write('attributes/release/', items),
    create: (items, o = {}) =>
      write('attributes/create/', items, { success_objects: o.successObjects ? 1 : undefined }),
    update: (items) => write('attributes/update/', items),
    async increment(items) {
      const r = await write('attributes/increment/', items);
      const success = r.success.map((s, i) => {
        const p = parseWith(incrementSuccessSchema, s, `/api/2/attributes/increment/ success[${i}]`, true, r.status);
        return p.current === undefined ? s : { ...s, current: p.current };
      });
      return { ...r, success };
    },
  };
}
