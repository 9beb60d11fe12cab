/** core/fs: the data folder's one atomic writer, one serialiser and one lock (see each module's header). */
export {
  ensurePrivateDir,
  ensurePrivateFile,
  ensurePrivatePath,
  nodeAtomicFs,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  writeFileAtomic,
  writeFileAtomicSync,
  type AtomicFs,
} from './atomic-write';
export { serial, type Serial } from './serial';
export {
  LockHeldError,
  ownerIsDead,
  parseOwner,
  processStart,
  readOwner,
  setLockLabel,
  takeLock,
  waitForLock,
  type HeldLock,
  type LockOwner,
} from './lock';
export { setAside } from './damaged';
