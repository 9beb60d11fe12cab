/**
 * Compile-time checks of the contract (run by `npm run typecheck`): a handler map
 * missing a channel, or a schema map disagreeing with the contract, must not compile.
 */
import type { InvokeHandlers, InvokeRequest } from '../../../src/shared/ipc-contract';
import type { z } from 'zod';

declare const complete: InvokeHandlers;
const { 'tray:get-view': _omitted, ...incomplete } = complete;
// @ts-expect-error — every invoke channel must have a handler.
export const missingOne: InvokeHandlers = incomplete;

// @ts-expect-error — a schema must produce the contract's request type.
export const wrongSchema: z.ZodType<InvokeRequest<'values:increment'>> = null as unknown as z.ZodType<{ name: number }>;
