/**
 * Disk full during a token refresh (issue 12): Exist has already invalidated the old pair,
 * so the new one must never be thrown away. Real files (the CLI's account file); the
 * disk-full write is injected through core/fs's AtomicFs port.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFileAccountStore, keepUnsavedAccount } from '../../../src/core/auth';
import { createTokenManager } from '../../../src/core/auth/token-manager';
import { ExistError } from '../../../src/core/exist/errors';
import { nodeAtomicFs, type AtomicFs } from '../../../src/core/fs';
import { account, createFakeClock } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An Exist that, like the real one, accepts only the refresh token it issued last. */
function strictExist() {
  let n = 0;
  let valid = 'refresh-0';
  return {
    async refreshTokens({ refreshToken }: { refreshToken: string }) {
      if (refreshToken !== valid)
        throw new ExistError('oauth', 'invalid_grant', { oauthError: 'invalid_grant', status: 400 });
      n++;
      valid = `refresh-${n}`;
      return {
        access_token: `access-${n}`,
        refresh_token: valid,
        token_type: 'Bearer',
        expires_in: 31535999,
        scope: 'media_write',
      };
    },
  };
}

/** The real writer, or ENOSPC while `full` is set. */
function disk(): AtomicFs & { full: boolean } {
  return {
    full: false,
    writeFile(path, data) {
      if (this.full)
        return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
      return nodeAtomicFs.writeFile(path, data);
    },
  };
}

describe('a token pair that cannot be written', () => {
  it('is kept in memory, used for the next refresh, retried until saved, and the user is told', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exist-enospc-'));
    dirs.push(dir);
    const path = join(dir, 'account.json');
    const fc = createFakeClock();
    const io = disk();
    const problems: (string | null)[] = [];
    const store = keepUnsavedAccount(createFileAccountStore(path, { io }), {
      clock: fc.clock,
      onProblem: (m) => problems.push(m),
    });
    await store.save(account({ obtainedAt: fc.now(), expiresAt: fc.now() + 1000 }));
    const m = createTokenManager({ store, oauth: strictExist(), clock: fc.clock });
    await m.start();

    io.full = true;
    await m.refreshNow().catch(() => undefined); // refresh-1 issued; refresh-0 is now dead at Exist
    expect(problems).toEqual([expect.stringMatching(/could not be saved \(the disk is full\)/)]);
    expect(JSON.parse(readFileSync(path, 'utf8')).refreshToken).toBe('refresh-0');

    // The next refresh must start from refresh-1 (from memory), not the dead one on disk.
    const again = await m.refreshNow();
    expect(again.refreshToken).toBe('refresh-2');
    expect(again.status).toBe('connected');

    io.full = false;
    await fc.advance(60_000); // the retry (its write is real file IO: wait for it)
    await vi.waitFor(() => expect(JSON.parse(readFileSync(path, 'utf8')).refreshToken).toBe('refresh-2'));
    await vi.waitFor(() => expect(problems.at(-1)).toBeNull());
    m.stop();
  });
});
