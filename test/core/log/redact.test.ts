/**
 * Nothing secret reaches the log file: tokens, OAuth codes and states, client secrets,
 * callback URLs. Through the real electron-log file transport the shell uses
 * (src/main/log.ts), into a temp folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/core/log/redact';
import { openLogFile } from '../../../src/main/log';

const SECRETS = {
  access: 'e5c8b1f0a9d24c6e8b7a1f3d2c4e6a8b',
  refresh: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg',
  code: 'q1w2e3r4t5y6u7i8o9p0',
  state: 's7a8t9e0x1y2z3',
  secret: 'cs_live_abcdefghijklmnopqrstuvwxyz012345',
};

const lines = [
  `Callback failed for http://localhost:8000/?code=${SECRETS.code}&state=${SECRETS.state}`,
  `POST /oauth2/access_token client_secret=${SECRETS.secret}&refresh_token=${SECRETS.refresh}`,
  `Exist answered 401 for Authorization: Bearer ${SECRETS.access}`,
  `Saved {"accessToken":"${SECRETS.access}","refreshToken":"${SECRETS.refresh}","clientSecret":"${SECRETS.secret}"}`,
  `state=${SECRETS.state} did not match`,
];

describe('redact', () => {
  it('removes every secret and keeps the words around them', () => {
    for (const line of lines) {
      const out = redact(line);
      for (const s of Object.values(SECRETS)) expect(out, line).not.toContain(s);
    }
    expect(redact(lines[0]!)).toBe('Callback failed for [callback URL]');
    expect(redact(lines[2]!)).toBe('Exist answered 401 for Authorization: Bearer [redacted]');
    expect(redact('Sync failed: Exist is not answering (HTTP 503)')).toBe(
      'Sync failed: Exist is not answering (HTTP 503)',
    );
  });
});

describe('the log file', () => {
  it('is written under <data>/logs/main.log and never holds a secret, whether in the message or the error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exist-log-'));
    try {
      const { log, file } = openLogFile(dir);
      expect(file).toBe(join(dir, 'logs', 'main.log'));
      for (const line of lines) log(line);
      log('Connect failed', new Error(`token exchange refused for code=${SECRETS.code}`));
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('Connect failed');
      expect(text.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(lines.length + 1);
      for (const s of Object.values(SECRETS)) expect(text).not.toContain(s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
