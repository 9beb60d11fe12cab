/**
 * createAppCore: the main-side application, electron-free. Composes the Exist client,
 * account/token manager, outbox, jobs and preferences behind the IPC contract.
 * (Foundation stage: only app:get-info is wired; the rest lands with issues 4–8.)
 */
import type { InvokeHandlers, PushChannel, PushContract, SendHandlers } from '../../shared/ipc-contract';
import { UserError } from '../errors';
import type { AppCore, AppCoreDeps, PushListener } from './types';

export type { AppCore, AppCoreDeps } from './types';

export function createAppCore(deps: AppCoreDeps): AppCore {
  const listeners = new Set<PushListener>();
  const push = <K extends PushChannel>(channel: K, payload: PushContract[K]) => {
    for (const l of listeners) l(channel, payload);
  };
  void push;
  const notYet = async (): Promise<never> => {
    throw new UserError('not-available', 'Not available yet');
  };

  const invoke: InvokeHandlers = {
    'app:get-info': async () => ({ ...deps.info }),
    'account:get': notYet,
    'account:connect': notYet,
    'account:cancel-connect': notYet,
    'account:refresh': notYet,
    'account:disconnect': notYet,
    'attributes:list-owned': notYet,
    'attributes:list-templates': notYet,
    'attributes:acquire': notYet,
    'attributes:create': notYet,
    'attributes:release': notYet,
    'attributes:set-prefs': notYet,
    'attributes:reorder': notYet,
    'tray:get-view': notYet,
    'values:increment': notYet,
    'values:set': notYet,
    'values:undo': notYet,
    'sync:get': notYet,
    'sync:now': notYet,
    'sync:retry': notYet,
    'sync:discard': notYet,
    'settings:get': notYet,
    'settings:set': notYet,
    'jobs:list': notYet,
    'jobs:add': notYet,
    'jobs:remove': notYet,
    'jobs:run': notYet,
    'import:preview': notYet,
    'import:run': notYet,
  };

  const send: SendHandlers = {
    'window:close': () => deps.shell.closePopover(),
    'window:open-settings': ({ tab }) => deps.shell.openSettings(tab),
    'shell:open-external': ({ url }) => void deps.opener.openExternal(url),
  };

  return {
    invoke,
    send,
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    commands: {
      syncNow: notYet,
      increment: notYet,
      set: notYet,
      wake: async () => {},
    },
    start: async () => {},
    stop: async () => {},
  };
}
