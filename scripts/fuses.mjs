/**
 * The Electron fuses Exist Tray ships with, and how `npm run check:packaging` proves
 * them without the real binary: the stand-in Electron executable carries a fuse wire
 * (the sentinel @electron/fuses looks for, then version 1, length 8 and Electron 45's
 * default states), electron-builder flips it from `electronFuses` in
 * electron-builder.yml exactly as it would flip the real binary, and the wire is read
 * back with @electron/fuses' own reader and compared with REQUIRED_FUSES below — not
 * with the yml, so a fuse dropped from the yml shows up as its insecure default.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { FuseV1Options } = require('@electron/fuses');
const { SENTINEL, FuseState } = require('@electron/fuses/dist/constants');

/** What each fuse must read after packaging (EmbeddedAsarIntegrityValidation is enforced by Electron on macOS and Windows). */
export const REQUIRED_FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
};

/** Electron 45's fuse defaults, in wire order (RunAsNode … GrantFileProtocolExtraPrivileges). */
const ELECTRON_DEFAULTS = [true, false, true, true, false, false, false, true];

/** Bytes of a stand-in executable: a shell stub plus the default fuse wire, as in the real binary. */
export function standInExecutable() {
  const wire = ELECTRON_DEFAULTS.map((on) => (on ? FuseState.ENABLE : FuseState.DISABLE));
  return Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for Electron 45"\nexit 0\n'),
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, wire.length, ...wire]),
    Buffer.from('\n'),
  ]);
}

/** Problems of a wire read with getCurrentFuseWire(), one sentence each. */
export function fuseProblems(wire) {
  if (wire.version !== '1') return [`fuse wire version ${wire.version}, expected 1`];
  const problems = [];
  for (const [name, want] of Object.entries(REQUIRED_FUSES)) {
    const state = wire[FuseV1Options[name]];
    const is = state === FuseState.ENABLE ? true : state === FuseState.DISABLE ? false : null;
    if (is !== want)
      problems.push(
        `fuse ${name} is ${is === null ? 'missing' : is ? 'on' : 'off'}, must be ${want ? 'on' : 'off'} (electronFuses in electron-builder.yml)`,
      );
  }
  return problems;
}
