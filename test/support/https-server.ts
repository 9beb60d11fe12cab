/**
 * A loopback https server with a throw-away self-signed certificate (made with openssl
 * for the test's names), for tests of the https client: every request is recorded and
 * answered by the test's route table. Listens on 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Route {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface TestHttpsServer {
  port: number;
  /** The certificate, to trust as a CA. */
  cert: string;
  /** Every request as `host path`, oldest first. */
  seen: string[];
  routes: Map<string, Route>;
  close(): Promise<void>;
}

/** A self-signed certificate for `names` (DNS names and IP addresses). */
export function selfSignedCert(names: string[]): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'exist-cert-'));
  try {
    const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${names[0]}`,
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startHttpsServer(names: string[]): Promise<TestHttpsServer> {
  const { key, cert } = selfSignedCert(names);
  const seen: string[] = [];
  const routes = new Map<string, Route>();
  const server: Server = createServer({ key, cert }, (req, res) => {
    seen.push(`${req.headers.host ?? ''} ${req.url ?? ''}`);
    const r = routes.get(req.url ?? '') ?? { status: 404, body: 'not found' };
    res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
    res.end(r.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cert,
    seen,
    routes,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
