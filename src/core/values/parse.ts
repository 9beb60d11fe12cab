/** Parsing what people type: the dispatchers are the registry's; the readers are in ./parse-parts.ts. */
export { parseValue, parseDelta } from './registry';
export { minutesFromMidday, MAX_DURATION_MINUTES } from './parse-parts';
