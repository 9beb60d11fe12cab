#!/usr/bin/env node
/**
 * Writes the app and tray icons into build/ as PNGs, with nothing but zlib: shapes are
 * drawn analytically with 4×4 supersampling, so edges are crisp at 16 px. Run again
 * after changing a shape: `node scripts/make-icons.mjs`. Outputs are committed.
 *
 * Glyph: a disc with a plus knocked out ("add one"), readable in a 16 px menu bar.
 *   trayTemplate.png / @2x   black + alpha, macOS tints it (template image)
 *   tray-light.png / @2x     dark glyph for light panels and taskbars
 *   tray-dark.png / @2x      light glyph for dark panels and taskbars
 *   tray-linux.png / @2x     Linux: the app's blue disc with a white plus, which reads on dark
 *                            and light panels alike (the app cannot know the panel's colour)
 *   icon.png                 512×512 app icon (electron-builder derives .ico/.icns)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

/** RGBA pixels (Uint8Array, row-major) → PNG bytes. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Draw with `shade(u, v)` over unit coordinates → [r, g, b, a] in 0..1, 4×4 supersampled. */
function render(size, shade) {
  const px = new Uint8Array(size * size * 4);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const [cr, cg, cb, ca] = shade((x + (sx + 0.5) / S) / size, (y + (sy + 0.5) / S) / size);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (y * size + x) * 4;
      const n = S * S;
      px[i + 3] = Math.round((a / n) * 255);
      if (a > 0) {
        px[i] = Math.round((r / a) * 255);
        px[i + 1] = Math.round((g / a) * 255);
        px[i + 2] = Math.round((b / a) * 255);
      }
    }
  }
  return px;
}

const inPlus = (u, v, half, arm) =>
  (Math.abs(u - 0.5) <= arm && Math.abs(v - 0.5) <= half) || (Math.abs(v - 0.5) <= arm && Math.abs(u - 0.5) <= half);

/** The tray glyph in one colour: a disc with a plus cut out. */
const trayGlyph = (rgb) => (u, v) => {
  const d = Math.hypot(u - 0.5, v - 0.5);
  const onDisc = d <= 0.44;
  const hole = inPlus(u, v, 0.25, 0.065);
  return [...rgb, onDisc && !hole ? 1 : 0];
};

/** Linux: a blue disc (≥ 3:1 against both a black and a white panel) with a white plus. */
const LINUX_BLUE = [0.15, 0.45, 0.86];
const linuxGlyph = (u, v) => {
  const d = Math.hypot(u - 0.5, v - 0.5);
  if (d > 0.46) return [0, 0, 0, 0];
  return inPlus(u, v, 0.25, 0.07) ? [1, 1, 1, 1] : [...LINUX_BLUE, 1];
};

/** The app icon: a rounded square, blue-to-teal, with a white disc-and-plus. */
const appIcon = (u, v) => {
  const r = 0.2; // corner radius
  const qx = Math.max(Math.abs(u - 0.5) - (0.5 - r - 0.03), 0);
  const qy = Math.max(Math.abs(v - 0.5) - (0.5 - r - 0.03), 0);
  if (Math.hypot(qx, qy) > r) return [0, 0, 0, 0];
  const t = (u + v) / 2;
  const bg = [0.12 + 0.02 * t, 0.42 + 0.25 * t, 0.92 - 0.3 * t];
  const d = Math.hypot(u - 0.5, v - 0.5);
  if (d <= 0.3 && !inPlus(u, v, 0.17, 0.045)) return [1, 1, 1, 1];
  return [...bg, 1];
};

/**
 * State variants (issue 18: a tray that shows state): the glyph with a badge in the
 * bottom-right corner, cut out of the disc by a transparent gap so it reads at 16 px.
 * Coloured badges on Windows/Linux; on macOS (template images, one colour) the badge's
 * SHAPE carries the state: dot = pending, ring = offline, bars = paused, dot with a bar
 * knocked out = failed, ring with a bar = reconnect. "disconnected" is the glyph faded.
 * Files: tray-<light|dark|linux>-<variant>.png and tray-<variant>Template.png (+ @2x).
 */
const BADGE = { u: 0.76, v: 0.76, r: 0.22, gap: 0.07 };
const VARIANT_COLOURS = {
  pending: [0.16, 0.47, 0.96],
  offline: [0.55, 0.56, 0.6],
  paused: [0.96, 0.64, 0.1],
  failed: [0.86, 0.18, 0.16],
  reconnect: [0.86, 0.18, 0.16],
};
const badgeShape = (variant, u, v) => {
  const du = u - BADGE.u;
  const dv = v - BADGE.v;
  const d = Math.hypot(du, dv);
  if (d > BADGE.r) return false;
  const bar = Math.abs(du) <= 0.045 && Math.abs(dv) <= 0.13;
  switch (variant) {
    case 'offline':
      return d >= BADGE.r * 0.55;
    case 'paused':
      return Math.abs(dv) <= 0.13 && Math.abs(Math.abs(du) - 0.075) <= 0.04;
    case 'failed':
      return !bar;
    case 'reconnect':
      return d >= BADGE.r * 0.62 || bar;
    default:
      return true;
  }
};
/** `mono`: one colour for everything (template); otherwise the badge has the variant's colour. */
const variantGlyph =
  (rgb, variant, mono, base = trayGlyph(rgb)) =>
  (u, v) => {
    if (variant === 'disconnected') {
      const [r, g, b, a] = base(u, v);
      return [r, g, b, a * 0.4];
    }
    const d = Math.hypot(u - BADGE.u, v - BADGE.v);
    if (badgeShape(variant, u, v)) return [...(mono ? rgb : VARIANT_COLOURS[variant]), 1];
    if (d <= BADGE.r + BADGE.gap) return [0, 0, 0, 0];
    return base(u, v);
  };
const VARIANTS = ['pending', 'offline', 'paused', 'failed', 'reconnect', 'disconnected'];
const variantIcons = VARIANTS.flatMap((variant) =>
  [
    [`tray-${variant}Template`, [0, 0, 0], true],
    [`tray-light-${variant}`, [0.13, 0.13, 0.14], false],
    [`tray-dark-${variant}`, [1, 1, 1], false],
  ]
    .flatMap(([base, rgb, mono]) => [
      [`${base}.png`, 16, variantGlyph(rgb, variant, mono)],
      [`${base}@2x.png`, 32, variantGlyph(rgb, variant, mono)],
    ])
    .concat([
      [`tray-linux-${variant}.png`, 22, variantGlyph(LINUX_BLUE, variant, false, linuxGlyph)],
      [`tray-linux-${variant}@2x.png`, 44, variantGlyph(LINUX_BLUE, variant, false, linuxGlyph)],
    ]),
);

const icons = [
  ['trayTemplate.png', 16, trayGlyph([0, 0, 0])],
  ['trayTemplate@2x.png', 32, trayGlyph([0, 0, 0])],
  ['tray-light.png', 16, trayGlyph([0.13, 0.13, 0.14])],
  ['tray-light@2x.png', 32, trayGlyph([0.13, 0.13, 0.14])],
  ['tray-dark.png', 16, trayGlyph([1, 1, 1])],
  ['tray-dark@2x.png', 32, trayGlyph([1, 1, 1])],
  ['tray-linux.png', 22, linuxGlyph],
  ['tray-linux@2x.png', 44, linuxGlyph],
  ['icon.png', 512, appIcon],
  ...variantIcons,
];

mkdirSync(out, { recursive: true });
for (const [name, size, shade] of icons) {
  writeFileSync(join(out, name), encodePng(size, size, render(size, shade)));
  console.log(`build/${name} ${size}×${size}`);
}
