/**
 * What every service of the app core is given: the host's ports, the data folder's
 * preferences, the push channel, the notices, and the account session the services act
 * on. Built once by the root (./index.ts); services keep no account state of their own.
 */
import type { Attribute } from '../../shared/domain';
import type { AccountView, OwnedAttributeView, PushChannel, PushContract } from '../../shared/ipc-contract';
import type { AppError } from '../../shared/result';
import { describeError } from '../errors';
import type { AccountSession } from '../session';
import type { Notices } from './notices';
import type { PrefsStore } from './settings-store';
import { defaultSteps } from './settings-store';
import type { AppCoreDeps } from './types';
import { ownedView, sortOwned } from './views';

export type Push = <K extends PushChannel>(channel: K, payload: PushContract[K]) => void;

export interface AppContext {
  deps: AppCoreDeps;
  prefs: PrefsStore;
  push: Push;
  notices: Notices;
  /** Send queued writes on their own (the app, the browser host); the CLI sends only on `sync`. */
  autoFlush: boolean;
  /** The account the interface acts on. */
  session(): AccountSession;
  /** The account as the interface shows it (the account service's view). */
  accountView(): AccountView;
}

/** The user's preferences for an owned attribute (defaults for one not seen before). */
export const prefsFor = (ctx: Pick<AppContext, 'prefs'>, a: Attribute) =>
  ctx.prefs.get().attributes[a.name] ?? { visible: true, steps: defaultSteps(a.value_type), order: a.priority };

/** The owned attributes as the interface lists them. */
export const ownedViews = (ctx: Pick<AppContext, 'prefs' | 'session'>): OwnedAttributeView[] =>
  sortOwned(
    ctx
      .session()
      .owned.attributes()
      .map((a) => ownedView(a, prefsFor(ctx, a))),
  );

/** Any error as the interface shows it: core/errors' one mapper (an unexpected error's raw text only in `detail`). */
export const toAppError = (e: unknown): AppError => describeError(e);
