/**
 * The baseline for the benchmark: a client written the way the Exist tutorial's scripts
 * are (/work/shared/seed): one HTTP call per event — an `increment` call per click, an
 * `update` call per daily total — with no queue, no coalescing, no batching, no rate
 * budget and no retry. A refused call (429, network) is simply reported, as the scripts
 * print the error and move on.
 */

export interface NaiveResult {
  /** HTTP status, or 0 when the call did not get an answer. */
  status: number;
}

export interface NaiveClient {
  /** POST /api/2/attributes/increment/ with one object. */
  increment(name: string, date: string, value: number): Promise<NaiveResult>;
  /** POST /api/2/attributes/update/ with one object. */
  update(name: string, date: string, value: number | string): Promise<NaiveResult>;
}

/** A naive client for `baseUrl` with a fixed bearer token. */
export function createNaiveClient(opts: { baseUrl: string; token: string; fetch?: typeof fetch }): NaiveClient {
  const doFetch = opts.fetch ?? fetch;
  const post = async (path: string, body: unknown): Promise<NaiveResult> => {
    try {
      const r = await doFetch(`${opts.baseUrl}/api/2/attributes/${path}/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${opts.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      await r.text();
      return { status: r.status };
    } catch {
      return { status: 0 };
    }
  };
  return {
    increment: (name, date, value) => post('increment', [{ name, date, value }]),
    update: (name, date, value) => post('update', [{ name, date, value }]),
  };
}
