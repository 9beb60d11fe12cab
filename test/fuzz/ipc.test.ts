/**
 * Fuzz: random payloads through every IPC channel's validator, via the real dispatcher.
 * Each answer must be a Result — `invalid-payload` with a readable message, or the
 * handler's answer — and a handler only ever sees a payload its schema accepts.
 */
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/core/ipc/dispatch';
import {
  INVOKE_CHANNELS,
  SEND_CHANNELS,
  type InvokeHandlers,
  type SendHandlers,
  type SenderInfo,
} from '../../src/shared/ipc-contract';
import { invokeSchemas, sendSchemas } from '../../src/shared/ipc-schemas';
import { pick, prng, randomString, randomValue } from './gen';

const SEED = 0xf022_0001;
const PER_CHANNEL = 400;
const trusted: SenderInfo = { url: 'test://fuzz', trusted: true };

/** Every key any schema knows (nested ones too), so random objects reach deep validation. */
function schemaKeys(schema: unknown, into: Set<string>): void {
  const def = (schema as { def?: Record<string, unknown> } | null)?.def;
  if (!def) return;
  const shape = def.shape as Record<string, unknown> | undefined;
  if (shape) {
    for (const [k, v] of Object.entries(shape)) {
      into.add(k);
      schemaKeys(v, into);
    }
  }
  for (const k of ['innerType', 'element', 'in', 'out']) if (def[k]) schemaKeys(def[k], into);
  for (const k of ['options']) if (Array.isArray(def[k])) for (const o of def[k] as unknown[]) schemaKeys(o, into);
}

const keys = new Set<string>();
for (const s of [...Object.values(invokeSchemas), ...Object.values(sendSchemas)]) schemaKeys(s, keys);
const KEYS = [...keys];

/** A clear message: one line of words, not a stack, not an object dump. */
function unclear(message: unknown): string | null {
  if (typeof message !== 'string' || message.trim() === '') return 'empty message';
  // Generous: zod's "Unrecognized keys" lists every junk key (ours are at most 20 characters).
  if (message.length > 2_000) return 'message too long';
  if (/\n\s+at /.test(message) || message.includes('[object Object]')) return 'not a readable message';
  return null;
}

describe('fuzz: IPC payload validators', () => {
  it(`answers ${PER_CHANNEL} random payloads per channel with a Result, never a throw`, async () => {
    const rand = prng(SEED);
    const seen: { channel: string; payload: unknown }[] = [];
    const invoke = Object.fromEntries(
      INVOKE_CHANNELS.map((c) => [c, async (payload: unknown) => (seen.push({ channel: c, payload }), { handled: c })]),
    ) as unknown as InvokeHandlers;
    const send = Object.fromEntries(
      SEND_CHANNELS.map((c) => [c, (payload: unknown) => void seen.push({ channel: c, payload })]),
    ) as unknown as SendHandlers;
    const internal: unknown[] = [];
    const d = createDispatcher(invoke, send, { onInternalError: (_c, e) => void internal.push(e) });

    const problems: string[] = [];
    let accepted = 0;
    let rejected = 0;
    for (const channel of INVOKE_CHANNELS) {
      for (let i = 0; i < PER_CHANNEL; i++) {
        const payload = rand() < 0.85 ? randomValue(rand, 0, KEYS) : pick(rand, [{}, undefined, null, [], '', 0]);
        seen.length = 0;
        let r;
        try {
          r = await d.invoke(channel, payload, trusted);
        } catch (e) {
          problems.push(`${channel}: threw ${(e as Error).message}`);
          continue;
        }
        const valid = invokeSchemas[channel].safeParse(payload ?? {}).success;
        if (r.ok) {
          accepted++;
          if (!valid) problems.push(`${channel}: accepted an invalid payload`);
          if (JSON.stringify(r.value) !== JSON.stringify({ handled: channel })) problems.push(`${channel}: odd answer`);
          if (seen.length !== 1) problems.push(`${channel}: handler ran ${seen.length} times`);
          else if (!invokeSchemas[channel].safeParse(seen[0]!.payload).success)
            problems.push(`${channel}: handler saw an invalid payload`);
        } else {
          rejected++;
          if (r.error.code !== 'invalid-payload') problems.push(`${channel}: error code ${r.error.code}`);
          const u = unclear(r.error.message);
          if (u) problems.push(`${channel}: ${u}: ${JSON.stringify(r.error.message).slice(0, 80)}`);
          if (valid) problems.push(`${channel}: rejected a valid payload`);
          if (seen.length > 0) problems.push(`${channel}: handler ran on a rejected payload`);
        }
        if (problems.length > 20) break;
      }
    }
    for (const channel of SEND_CHANNELS) {
      for (let i = 0; i < PER_CHANNEL; i++) {
        const payload = randomValue(rand, 0, KEYS);
        const r = d.send(channel, payload, trusted);
        const valid = sendSchemas[channel].safeParse(payload ?? {}).success;
        if (r.ok !== valid) problems.push(`${channel}: ok=${r.ok} but valid=${valid}`);
        if (!r.ok && (r.error.code !== 'invalid-payload' || unclear(r.error.message)))
          problems.push(`${channel}: unclear rejection`);
      }
    }
    // Channel names that are not channels.
    for (let i = 0; i < 300; i++) {
      const name = rand() < 0.7 ? randomString(rand) : randomValue(rand);
      const r = await d.invoke(name, {}, trusted);
      const isChannel = typeof name === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(name);
      if (!isChannel && (r.ok || r.error.code !== 'unknown-channel'))
        problems.push(`channel ${String(name).slice(0, 30)}: ${JSON.stringify(r).slice(0, 80)}`);
    }
    expect(problems).toEqual([]);
    expect(internal).toEqual([]);
    // The generator must reach both outcomes, or the test proves nothing.
    expect(accepted).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(5_000);
  }, 30_000);
});
