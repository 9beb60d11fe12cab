/** Showing stored values: the dispatchers are the registry's; the pieces are in ./format-parts.ts. */
export { formatValue, formatDelta, EMPTY_VALUE } from './registry';
export { formatDuration, formatClock } from './format-parts';
