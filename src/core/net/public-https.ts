/**
 * GET of a public https URL, for job URL sources: a job's URL is fetched on a timer and
 * its number written to the user's Exist account, so a URL (or a redirect, or a DNS
 * answer) that leads to this machine or the local network must never be followed —
 * otherwise any https page could make the app read http(s)://127.0.0.1/internal-admin
 * or a router's page and send the number to Exist (SSRF).
 *
 * How:
 * - https only, on every hop; redirects are followed by hand, at most MAX_REDIRECTS.
 * - Each hop's host is resolved first (all addresses) and refused if ANY address is in
 *   a non-public range (`node:net` BlockList, which also matches IPv4-mapped IPv6;
 *   NAT64 and 6to4 addresses are checked by the IPv4 they embed).
 * - The connection is pinned to the address that was checked: the request's `lookup`
 *   answers with it, so a DNS rebind between the check and the connect cannot win.
 *   TLS still verifies the certificate for the URL's host name (SNI + identity).
 *
 * Why hand-written: fetch/undici cannot pin the address per request without a custom
 * dispatcher and offers no hook to re-check each redirect hop's resolved address; the
 * libraries that do (ssrf-req-filter, request-filtering-agent) wrap the same Node agent
 * `lookup` this module uses in forty lines, and BlockList is the well-kept range check.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export const MAX_REDIRECTS = 3;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface PublicHttpsOptions {
  /** DNS; default the system resolver (all addresses). Tests inject names. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /**
   * Where to really connect for a checked address (tests only: map a public test address
   * to a loopback server, so no traffic leaves the machine). Default: the address itself.
   */
  dial?: (address: string, port: number) => { address: string; port: number };
  /** Extra trusted CA certificates (tests: a self-signed server). */
  ca?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface PublicHttpsAnswer {
  status: number;
  /** The URL of the last hop. */
  url: string;
  body: string;
}

/** A refusal or failure, in words (the job's run error). */
export class PublicHttpsError extends Error {
  override readonly name = 'PublicHttpsError';
}

const v4 = (list: BlockList, net: string, prefix: number) => list.addSubnet(net, prefix, 'ipv4');
const v6 = (list: BlockList, net: string, prefix: number) => list.addSubnet(net, prefix, 'ipv6');

/** Every range that is not the public internet. */
const NON_PUBLIC = (() => {
  const b = new BlockList();
  v4(b, '0.0.0.0', 8); // "this network", unspecified
  v4(b, '10.0.0.0', 8); // private
  v4(b, '100.64.0.0', 10); // CGNAT shared space
  v4(b, '127.0.0.0', 8); // loopback
  v4(b, '169.254.0.0', 16); // link-local (cloud metadata lives here)
  v4(b, '172.16.0.0', 12); // private
  v4(b, '192.0.0.0', 24); // IETF protocol assignments
  v4(b, '192.0.2.0', 24); // documentation
  v4(b, '192.168.0.0', 16); // private
  v4(b, '198.18.0.0', 15); // benchmarking
  v4(b, '198.51.100.0', 24); // documentation
  v4(b, '203.0.113.0', 24); // documentation
  v4(b, '224.0.0.0', 4); // multicast
  v4(b, '240.0.0.0', 4); // reserved, broadcast
  v6(b, '::', 128); // unspecified
  v6(b, '::1', 128); // loopback
  v6(b, '::', 96); // IPv4-compatible (deprecated)
  v6(b, '100::', 64); // discard
  v6(b, '2001:db8::', 32); // documentation
  v6(b, 'fc00::', 7); // unique-local
  v6(b, 'fe80::', 10); // link-local
  v6(b, 'fec0::', 10); // site-local (deprecated)
  v6(b, 'ff00::', 8); // multicast
  return b;
})();

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail is allowed). */
function ipv6Groups(address: string): number[] | null {
  let a = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const p = dotted[1]!.split('.').map(Number);
    a = `${a.slice(0, -dotted[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = a.includes('::') ? a.split('::') : [a, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === null ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(Math.max(fill, 0)).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** Whether `address` (an IP literal) is on the public internet. Anything unparsable is not. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  if (NON_PUBLIC.check(address, 'ipv6')) return false; // includes IPv4-mapped ::ffff:a.b.c.d
  const g = ipv6Groups(address);
  if (!g) return false;
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: judge that one.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return isPublicAddress(v4Of(g[6]!, g[7]!));
  if (g[0] === 0x2002) return isPublicAddress(v4Of(g[1]!, g[2]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return false; // local-use NAT64
  return true;
}

const systemResolve = async (hostname: string): Promise<ResolvedAddress[]> =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** Resolves a hop's host and returns the one address to connect to, or throws why not. */
async function vetHost(url: URL, resolve: (h: string) => Promise<ResolvedAddress[]>): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(host);
    } catch (e) {
      throw new PublicHttpsError(`Could not find ${host}: ${e instanceof Error ? e.message : String(e)}.`);
    }
    if (addresses.length === 0) throw new PublicHttpsError(`Could not find ${host}: no address.`);
  }
  const local = addresses.find((a) => !isPublicAddress(a.address));
  if (local)
    throw new PublicHttpsError(
      `${url.origin} leads to ${local.address}, a local or private address; job URLs must be on the public internet.`,
    );
  return addresses[0]!;
}

function getOnce(
  url: URL,
  pinned: ResolvedAddress,
  opts: PublicHttpsOptions,
  signal: AbortSignal,
  maxBytes: number,
): Promise<{ status: number; location: string | null; body: string }> {
  const port = Number(url.port || 443);
  const target = opts.dial ? opts.dial(pinned.address, port) : { address: pinned.address, port };
  const family = isIP(target.address) === 6 ? 6 : 4;
  // Answer every lookup with the checked address: the socket cannot go anywhere else.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family }]);
    else callback(null, target.address, family);
  };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolveAnswer, reject) => {
    const req = request(
      {
        host,
        port: target.port,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { accept: 'application/json', host: url.host },
        lookup,
        ...(isIP(host) ? {} : { servername: host }),
        ...(opts.ca ? { ca: opts.ca } : {}),
        agent: false,
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          const loc = res.headers.location;
          return resolveAnswer({ status, location: typeof loc === 'string' ? loc : null, body: '' });
        }
        const declared = Number(res.headers['content-length'] ?? 'NaN');
        if (Number.isFinite(declared) && declared > maxBytes) {
          res.destroy();
          return reject(new PublicHttpsError(`${url.origin} sent ${declared} bytes; at most ${maxBytes} are read.`));
        }
        let size = 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            res.destroy();
            reject(new PublicHttpsError(`${url.origin} sent more than ${maxBytes} bytes.`));
          } else chunks.push(c);
        });
        res.on('end', () => resolveAnswer({ status, location: null, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * GETs `url` if it, every redirect and every address they resolve to are public https.
 * Resolves with the final answer (any status); rejects with a PublicHttpsError in words.
 */
export async function getPublicHttps(url: string, opts: PublicHttpsOptions = {}): Promise<PublicHttpsAnswer> {
  const resolve = opts.resolve ?? systemResolve;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const signal = AbortSignal.timeout(timeoutMs);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new PublicHttpsError(`${url} is not a URL.`);
  }
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'https:')
      throw new PublicHttpsError(
        hop === 0 ? 'Job URLs must use https://.' : `${url} redirected to a non-https address.`,
      );
    const pinned = await vetHost(current, resolve);
    let answer;
    try {
      answer = await getOnce(current, pinned, opts, signal, opts.maxBytes ?? 5 * 1024 * 1024);
    } catch (e) {
      if (e instanceof PublicHttpsError) throw e;
      const name = (e as Error)?.name;
      throw new PublicHttpsError(
        name === 'TimeoutError' || name === 'AbortError'
          ? `${url} did not answer within ${Math.round(timeoutMs / 1000)} s.`
          : `Could not reach ${current.origin}: ${e instanceof Error ? e.message : String(e)}.`,
      );
    }
    if (answer.location === null) return { status: answer.status, url: current.href, body: answer.body };
    if (hop >= MAX_REDIRECTS) throw new PublicHttpsError(`${url} redirected more than ${MAX_REDIRECTS} times.`);
    try {
      current = new URL(answer.location, current);
    } catch {
      throw new PublicHttpsError(`${url} redirected to something that is not a URL.`);
    }
  }
}
