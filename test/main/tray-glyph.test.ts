/**
 * The Linux tray glyph reads on dark AND light panels: whatever the app theme, most of the
 * icon's opaque area contrasts ≥ 3:1 (WCAG's figure for graphics) with a black panel
 * (Ubuntu's, dark in both themes) and with a white one (KDE Breeze light, XFCE). Measured on
 * the PNG the app really picks (build/, written by scripts/make-icons.mjs).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { trayIconPath } from '../../src/main/tray';

const BUILD = resolve(import.meta.dirname, '..', '..', 'build');

/** Our own PNGs: 8-bit RGBA, filter 0 on every row (as make-icons writes them). */
function decode(file: string): { w: number; h: number; px: Uint8Array } {
  const buf = readFileSync(file);
  const w = buf.readUInt32BE(16);
  const h = buf.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let o = 8; o < buf.length;) {
    const len = buf.readUInt32BE(o);
    if (buf.toString('latin1', o + 4, o + 8) === 'IDAT') idat.push(buf.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    if (raw[y * (w * 4 + 1)] !== 0) throw new Error(`${file}: row ${y} uses a PNG filter this test does not decode`);
    raw.copy(px, y * w * 4, y * (w * 4 + 1) + 1, (y + 1) * (w * 4 + 1));
  }
  return { w, h, px };
}

const lum = (r: number, g: number, b: number) => {
  const c = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
};
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/** Share of the icon's opaque area (alpha-weighted) that contrasts ≥ 3:1 with the panel colour. */
function readableShare(file: string, panel: [number, number, number]): number {
  const { px } = decode(file);
  const lp = lum(...panel);
  let total = 0;
  let readable = 0;
  for (let i = 0; i < px.length; i += 4) {
    const a = px[i + 3]! / 255;
    if (a < 0.5) continue;
    total += a;
    if (contrast(lum(px[i]!, px[i + 1]!, px[i + 2]!), lp) >= 3) readable += a;
  }
  return total === 0 ? 0 : readable / total;
}

describe('the Linux tray glyph', () => {
  for (const appDark of [false, true]) {
    it(`reads on a black and on a white panel (app theme ${appDark ? 'dark' : 'light'})`, () => {
      const file = trayIconPath(BUILD, 'linux', appDark);
      expect(readableShare(file, [0, 0, 0]), `${file} on a black panel`).toBeGreaterThan(0.6);
      expect(readableShare(file, [29, 29, 29]), `${file} on Yaru's dark grey`).toBeGreaterThan(0.6);
      expect(readableShare(file, [255, 255, 255]), `${file} on a white panel`).toBeGreaterThan(0.6);
    });
  }
});
