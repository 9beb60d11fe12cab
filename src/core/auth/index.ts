/** The connect/refresh/storage side of talking to Exist, electron-free. */
export { buildAuthorizeUrl, newState } from './authorize-url';
export { AuthFlowError, isAuthFlowError } from './errors';
export type { AuthFlowErrorCode } from './errors';
export { renderCallbackPage } from './callback-page';
export type { CallbackPage, RenderCallbackPage } from './callback-page';
export { DEFAULT_CALLBACK_TIMEOUT_MS, portInUseMessage, startCallbackListener } from './callback-listener';
export type { CallbackListener, CallbackListenerOptions, CallbackOutcome } from './callback-listener';
export { connectAccount } from './connect';
export type { ConnectAccountOptions } from './connect';
export {
  AccountStoreError,
  DEFAULT_ACCOUNT_KEY,
  createFileAccountStore,
  createFileSecretStore,
  createSecretAccountStore,
  keepUnsavedAccount,
  storedAccountSchema,
} from './token-store';
export type { AccountStore, StoredAccount } from './token-store';
export {
  APP_SECRETS_FILE,
  checkAppSecretsFile,
  migratePlainSecrets,
  openPlainSecretStore,
  PLAIN_SECRETS_FILE,
} from './secrets-files';
export { createTokenManager, parseScope, refreshDueAt, refreshThresholdMs } from './token-manager';
export type { TokenEvent, TokenManager, TokenManagerOptions } from './token-manager';
