/**
 * The sandbox's "another service takes the attribute" admin hook (src/sandbox/ownership.ts):
 * after it, this client's writes get the reference's refusal (`unauthorised`, "does not
 * belong to this service"), the attribute lists the other service as its owner, and the
 * client can acquire it back. Also over HTTP for loopback tools.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from './helpers';

let ts: TestSandbox;
beforeEach(async () => {
  ts = await startTestSandbox();
});
afterEach(async () => {
  await ts.sb.close();
});

const admin = (body: unknown) =>
  fetch(`${ts.sb.url}/__sandbox/give-to-service`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('another service takes an attribute (admin)', () => {
  it('refuses this client’s writes as Exist does, shows the new owner, and can be acquired back', async () => {
    await ts.post('/api/2/attributes/acquire/', [{ template: 'pages_read' }]);
    expect((await ts.post('/api/2/attributes/increment/', [{ name: 'pages_read', value: 1 }])).status).toBe(200);

    ts.sb.admin.giveToService('pages_read', 'fitbit');
    const r = await ts.post('/api/2/attributes/increment/', [{ name: 'pages_read', value: 1 }]);
    expect(r.status).toBe(202);
    expect(r.json.failed).toEqual([
      {
        name: 'pages_read',
        value: 1,
        error_code: 'unauthorised',
        error: "Attribute 'pages_read' does not belong to this service",
      },
    ]);
    const listed = await ts.get('/api/2/attributes/?attributes=pages_read');
    expect(listed.json.results[0].service).toEqual({ name: 'fitbit', label: 'Fitbit' });
    const owned = await ts.get('/api/2/attributes/owned/');
    expect(owned.json.results.map((a: { name: string }) => a.name)).not.toContain('pages_read');

    expect((await ts.post('/api/2/attributes/acquire/', [{ name: 'pages_read' }])).status).toBe(200);
    expect((await ts.post('/api/2/attributes/increment/', [{ name: 'pages_read', value: 1 }])).status).toBe(200);
    expect(ts.sb.admin.getState().attributes.find((a) => a.name === 'pages_read')?.owner).toBe(ts.sb.clientId);
  });

  it('over HTTP: 200 for a known attribute, 404 for an unknown one, 400 for a bad body', async () => {
    expect((await admin({ name: 'mood', service: 'some_tracker' })).status).toBe(200);
    expect(ts.sb.admin.getState().attributes.find((a) => a.name === 'mood')?.owner).toBe('some_tracker');
    expect((await admin({ name: 'no_such', service: 'fitbit' })).status).toBe(404);
    expect((await admin({ name: 'mood' })).status).toBe(400);
    expect((await admin({ name: 'mood', service: 'Not A Name!' })).status).toBe(400);
  });

  it('never hands an attribute to the sandbox’s own client (that is what acquire is for)', () => {
    expect(() => ts.sb.admin.giveToService('mood', ts.sb.clientId)).toThrow(/acquires through the API/);
    expect(() => ts.sb.admin.giveToService('no_such', 'fitbit')).toThrow(/no attribute/);
  });
});
