// Draws the Skiff icon (a small sailboat on a sea-blue tile) and writes resources/icon.png (1024 px)
// and resources/icon.ico (PNG-compressed 16–256 px). Only node:zlib and node:fs: no image tooling needed.
// Run: node resources/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const SUPERSAMPLES = 4; // per axis: 16 samples per pixel smooth the edges

/** Drawing is in unit coordinates (0..1, y down); each layer is [inside(x, y), [r, g, b, a]] or a colour function. */
const layers = [
  // The tile: a rounded square with a vertical sky-to-sea gradient.
  [(x, y) => roundedRect(x, y, 0.06, 0.06, 0.94, 0.94, 0.2), (_x, y) => mix([56, 189, 248], [30, 64, 175], (y - 0.06) / 0.88)],
  // Main sail and jib.
  [(x, y) => inPolygon(x, y, [[0.5, 0.17], [0.5, 0.63], [0.24, 0.63]]), [255, 255, 255, 1]],
  [(x, y) => inPolygon(x, y, [[0.545, 0.27], [0.545, 0.63], [0.74, 0.63]]), [226, 232, 240, 1]],
  // Mast.
  [(x, y) => x >= 0.5 && x <= 0.545 && y >= 0.15 && y <= 0.68, [15, 23, 42, 1]],
  // Hull.
  [(x, y) => inPolygon(x, y, [[0.18, 0.66], [0.82, 0.66], [0.7, 0.78], [0.3, 0.78]]), [251, 191, 36, 1]],
  // Water line, clipped to the tile.
  [(x, y) => roundedRect(x, y, 0.06, 0.06, 0.94, 0.94, 0.2) && y > 0.8 + 0.018 * Math.sin(x * Math.PI * 6), [255, 255, 255, 0.28]],
];

function mix(from, to, t) {
  const k = Math.min(1, Math.max(0, t));
  return [...from.map((c, i) => c + (to[i] - c) * k), 1];
}

function roundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inPolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Composites the layers at one point: premultiplied RGBA in 0..1. */
function sample(x, y) {
  let [r, g, b, a] = [0, 0, 0, 0];
  for (const [inside, paint] of layers) {
    if (!inside(x, y)) continue;
    const [pr, pg, pb, pa] = typeof paint === 'function' ? paint(x, y) : paint;
    r = (pr / 255) * pa + r * (1 - pa);
    g = (pg / 255) * pa + g * (1 - pa);
    b = (pb / 255) * pa + b * (1 - pa);
    a = pa + a * (1 - pa);
  }
  return [r, g, b, a];
}

function render(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = SUPERSAMPLES;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const s = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          for (let i = 0; i < 4; i++) sum[i] += s[i];
        }
      }
      const alpha = sum[3] / (n * n);
      const offset = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) rgba[offset + i] = alpha === 0 ? 0 : Math.round((sum[i] / sum[3]) * 255);
      rgba[offset + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method variants, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO whose entries are PNGs (supported since Windows Vista; electron-builder accepts it). */
function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

const png = (size) => encodePng(size, render(size));
writeFileSync(new URL('./icon.png', import.meta.url), png(1024));
writeFileSync(
  new URL('./icon.ico', import.meta.url),
  encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: png(size) }))),
);
console.log('wrote resources/icon.png (1024 px) and resources/icon.ico (16-256 px)');
