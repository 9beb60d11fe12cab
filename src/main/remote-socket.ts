/** The CLI → app socket: started once the core runs; the app works without it (the CLI then says so). */
import { remoteSocketPath } from '../core/remote/protocol';
import { startRemoteServer, type RemoteServer } from '../core/remote/server';
import type { CommandApplier } from '../core/launch/apply';
import type { Log } from './log';

export async function startRemoteSocket(
  dataDir: string,
  apply: CommandApplier,
  log: Log,
): Promise<RemoteServer | null> {
  try {
    return await startRemoteServer(remoteSocketPath(dataDir), apply, {
      onInternalError: (e) => log('Socket command failed', e),
    });
  } catch (e) {
    log('The command-line socket is not available', e);
    return null;
  }
}
