/** The CLI → running app channel: protocol, server (in the app), client (in the CLI). */
export {
  remoteCommandSchema,
  remoteRequestSchema,
  remoteSocketPath,
  attributeNameSchema,
  isoDateSchema,
  MAX_LINE_BYTES,
  type RemoteCommand,
  type RemoteCommandName,
  type RemoteRequest,
  type RemoteResponse,
  type RemoteResult,
} from './protocol';
export { startRemoteServer, answer, type RemoteHandler, type RemoteServer, type RemoteServerOptions } from './server';
export { sendToRunningApp, type SendOptions } from './client';
export { checkSocketOwner, ensurePrivateDir, runtimeDir, type OwnershipPorts, type RuntimeDirEnv } from './private-dir';
