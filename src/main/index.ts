/**
 * The Electron entry (out/main/index.js): it only boots. The lifecycle is in ./boot.ts,
 * the composition in ./shell.ts, each piece in its own module; everything without
 * Electron in it lives in src/core (src/core/launch for launches).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boot } from './boot';

boot({ mainDir: dirname(fileURLToPath(import.meta.url)) });
