/** Checking values in API form: the dispatchers are the registry's; the pieces are in ./validate-parts.ts. */
export { validateStoredValue, validateStoredDelta } from './registry';
