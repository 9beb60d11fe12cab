/** `node --import ./test/electron-sim/register.mjs …`: installs the `electron` resolution hook. */
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
