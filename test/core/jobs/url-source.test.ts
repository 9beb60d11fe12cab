/**
 * Job URL sources against a real https server on 127.0.0.1 (self-signed certificate,
 * trusted through `ca`) with injected DNS: the test's names resolve to a made-up public
 * address that `dial` maps back to the loopback server, so no traffic leaves the
 * machine while the client believes it talks to the public internet. The hostile cases:
 * a redirect to 127.0.0.1, to a private address (literal or by DNS), a DNS answer that
 * changes between check and connect, and too many redirects.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSource } from '../../../src/core/jobs/sources';
import { isPublicAddress, type PublicHttpsOptions, type ResolvedAddress } from '../../../src/core/net/public-https';
import { startHttpsServer, type TestHttpsServer } from '../../support/https-server';

/** What the fake DNS says "public.example" is: a public address nobody is sent to. */
const PUBLIC_IP = '93.184.215.14';

let server: TestHttpsServer;
let dns: Map<string, ResolvedAddress[][]>;
let resolved: string[];
let dialed: string[];

beforeAll(async () => {
  server = await startHttpsServer(['public.example', 'other.example', 'internal.example', '127.0.0.1', '10.1.2.3']);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
  server.routes.clear();
  resolved = [];
  dialed = [];
  dns = new Map([
    ['public.example', [[{ address: PUBLIC_IP, family: 4 }]]],
    ['other.example', [[{ address: PUBLIC_IP, family: 4 }]]],
    ['internal.example', [[{ address: '10.1.2.3', family: 4 }]]],
    [
      'dual.example',
      [
        [
          { address: PUBLIC_IP, family: 4 },
          { address: 'fd12::1', family: 6 },
        ],
      ],
    ],
  ]);
});

function options(): PublicHttpsOptions {
  return {
    ca: server.cert,
    // Successive answers per name (the last one repeats): a rebinding DNS server.
    resolve: async (host) => {
      resolved.push(host);
      const answers = dns.get(host);
      if (!answers) throw new Error('ENOTFOUND');
      const n = resolved.filter((h) => h === host).length - 1;
      return answers[Math.min(n, answers.length - 1)]!;
    },
    // Every connection really goes to the loopback server, whatever address was vetted.
    dial: (address) => {
      dialed.push(address);
      return { address: '127.0.0.1', port: server.port };
    },
  };
}

const url = (u: string, jsonPath?: string) => ({ kind: 'url' as const, url: u, ...(jsonPath ? { jsonPath } : {}) });
const json = (v: unknown) => ({ status: 200, body: JSON.stringify(v) });
const redirect = (to: string, status = 302) => ({ status, headers: { location: to } });

describe('job URL sources: public https only', () => {
  it('fetches an https JSON document, and explains HTTP failures', async () => {
    server.routes.set('/api', json({ result: { today: 12.5 } }));
    server.routes.set('/html', { status: 200, body: '<html>' });
    expect(await readSource(url('https://public.example/api', 'result.today'), { https: options() })).toEqual({
      kind: 'today',
      value: 12.5,
    });
    await expect(readSource(url('https://public.example/gone'), { https: options() })).rejects.toThrow(/HTTP 404/);
    await expect(readSource(url('https://public.example/html'), { https: options() })).rejects.toThrow(
      /did not answer with JSON/,
    );
    await expect(readSource(url('http://public.example/plain'), { https: options() })).rejects.toThrow(/https/);
    expect(server.seen).toEqual(['public.example /api', 'public.example /gone', 'public.example /html']);
    expect(dialed).toEqual([PUBLIC_IP, PUBLIC_IP, PUBLIC_IP]);
  });

  it('follows a redirect to another public https host (each hop resolved and checked)', async () => {
    server.routes.set('/moved', redirect('https://other.example/api', 301));
    server.routes.set('/api', json(7));
    expect(await readSource(url('https://public.example/moved'), { https: options() })).toEqual({
      kind: 'today',
      value: 7,
    });
    expect(resolved).toEqual(['public.example', 'other.example']);
    expect(server.seen).toEqual(['public.example /moved', 'other.example /api']);
  });

  it('refuses a redirect to https://127.0.0.1/internal-admin, and never requests it', async () => {
    server.routes.set('/start', redirect(`https://127.0.0.1:${server.port}/internal-admin`));
    server.routes.set('/internal-admin', json(2147483647));
    await expect(readSource(url('https://public.example/start'), { https: options() })).rejects.toThrow(
      /leads to 127\.0\.0\.1, a local or private address/,
    );
    expect(server.seen).toEqual(['public.example /start']);
  });

  it('refuses a redirect to a private address, literal or by DNS, and to http', async () => {
    server.routes.set('/to-literal', redirect('https://10.1.2.3/admin'));
    server.routes.set('/to-name', redirect('https://internal.example/admin'));
    server.routes.set('/to-dual', redirect('https://dual.example/admin'));
    server.routes.set('/to-http', redirect('http://other.example/api'));
    server.routes.set('/admin', json(1));
    await expect(readSource(url('https://public.example/to-literal'), { https: options() })).rejects.toThrow(
      /leads to 10\.1\.2\.3/,
    );
    await expect(readSource(url('https://public.example/to-name'), { https: options() })).rejects.toThrow(
      /internal\.example leads to 10\.1\.2\.3/,
    );
    // A name with one public and one unique-local address is refused too.
    await expect(readSource(url('https://public.example/to-dual'), { https: options() })).rejects.toThrow(
      /leads to fd12::1/,
    );
    await expect(readSource(url('https://public.example/to-http'), { https: options() })).rejects.toThrow(
      /redirected to a non-https address/,
    );
    expect(server.seen.filter((s) => s.endsWith('/admin') || s.endsWith('/api'))).toEqual([]);
  });

  it('refuses loopback, link-local, private, CGNAT and mapped addresses given directly', async () => {
    for (const host of [
      '127.0.0.1',
      'localhost.',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '169.254.169.254',
      '192.168.1.1',
      '100.64.0.1',
      '[fe80::1]',
      '[fd00::1]',
      '0.0.0.0',
    ]) {
      dns.set('localhost.', [[{ address: '127.0.0.1', family: 4 }]]);
      await expect(readSource(url(`https://${host}/x`), { https: options() }), host).rejects.toThrow(
        /local or private address/,
      );
    }
    expect(server.seen).toEqual([]);
  });

  it('pins the checked address: a DNS answer that turns to 127.0.0.1 after the check is never used', async () => {
    server.routes.set('/api', json(3));
    dns.set('public.example', [[{ address: PUBLIC_IP, family: 4 }], [{ address: '127.0.0.1', family: 4 }]]);
    expect(await readSource(url('https://public.example/api'), { https: options() })).toEqual({
      kind: 'today',
      value: 3,
    });
    // One resolution per hop, and the socket went where that answer said.
    expect(resolved).toEqual(['public.example']);
    expect(dialed).toEqual([PUBLIC_IP]);
  });

  it('follows at most 3 redirects', async () => {
    for (let i = 0; i < 4; i++) server.routes.set(`/a${i}`, redirect(`/a${i + 1}`));
    server.routes.set('/a4', json(1));
    await expect(readSource(url('https://public.example/a0'), { https: options() })).rejects.toThrow(
      /redirected more than 3 times/,
    );
    expect(server.seen).not.toContain('public.example /a4');
    for (let i = 0; i < 3; i++) server.routes.set(`/b${i}`, redirect(`/b${i + 1}`));
    server.routes.set('/b3', json(9));
    expect(await readSource(url('https://public.example/b0'), { https: options() })).toEqual({
      kind: 'today',
      value: 9,
    });
  });

  it('still checks the certificate for the URL’s name', async () => {
    dns.set('wrong-name.example', [[{ address: PUBLIC_IP, family: 4 }]]);
    await expect(readSource(url('https://wrong-name.example/api'), { https: options() })).rejects.toThrow(
      /Could not reach https:\/\/wrong-name\.example/,
    );
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.215.14', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.255.0.1', false],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['172.32.0.1', true],
    ['192.168.0.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['100.128.0.1', true],
    ['224.0.0.251', false],
    ['255.255.255.255', false],
    ['::', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::808:808', true],
    ['2002:c0a8:101::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['fc00::1', false],
    ['ff02::1', false],
    ['not-an-ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
