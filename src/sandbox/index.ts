/**
 * Exist sandbox: a local Exist-compatible HTTP server (OAuth2 + API v2) for demos,
 * integration tests and end-to-end tests, since exist.io is not reachable here.
 * Runs on plain Node; see ./cli for the command line.
 */
export type {
  Sandbox,
  SandboxAdmin,
  SandboxCall,
  SandboxChange,
  SandboxFault,
  SandboxOptions,
  SandboxStateSnapshot,
  SandboxUser,
} from './types';
export { startSandbox } from './server';
export { describeScopes } from './consent-page';
