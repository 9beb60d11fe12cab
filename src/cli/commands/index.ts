import type { CommandRegistrar } from '../program';

/** Every command group of the CLI. */
export const registrars: CommandRegistrar[] = [];
