/**
 * The sandbox's HTTP plumbing, shared by every route: reading a request body (capped),
 * writing a `Reply` (JSON, HTML or raw), and the loopback check the admin API relies on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './core';

/** Largest request body the sandbox reads (35 objects fit many times over). */
const MAX_BODY_BYTES = 1024 * 1024;

/** True for 127.0.0.0/8 and ::1 peers (including IPv4-mapped addresses). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, reply: Reply): void {
  let body: string;
  let type: string;
  if (reply.html !== undefined) {
    body = reply.html;
    type = 'text/html; charset=utf-8';
  } else if (reply.raw !== undefined) {
    body = reply.raw.body;
    type = reply.raw.contentType;
  } else {
    body = reply.json === undefined ? '' : JSON.stringify(reply.json);
    type = 'application/json';
  }
  res.writeHead(reply.status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(body);
}
