import type { CommandRegistrar } from '../program';
import { registerAccountCommands } from './account';
import { registerWriteCommands } from './write';
import { registerJobsCommands } from './jobs';
import { registerAddCommand } from './add';

/** Every command group of the CLI. */
export const registrars: CommandRegistrar[] = [
  registerAccountCommands,
  registerWriteCommands,
  registerJobsCommands,
  registerAddCommand,
];
