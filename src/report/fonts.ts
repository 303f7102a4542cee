// The fonts charts are drawn with: DejaVu from the npm package dejavu-fonts-ttf, never
// the system's, so that a chart's layout and pixels are the same on every machine.
// Vega lays out text by measuring it; without a canvas it guesses 0.8 em a character,
// which clips DejaVu's wider glyphs. measureText() measures with DejaVu's own advance
// widths (read from the font files' cmap and hmtx tables; no kerning), and
// useDejaVuMetrics() makes vega use it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as vega from 'vega';

const require = createRequire(import.meta.url);

/** The folder of DejaVu's TrueType files in node_modules. */
export const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

type Face = 'sans' | 'sans-bold' | 'sans-oblique' | 'sans-bold-oblique' | 'serif' | 'serif-bold' | 'mono' | 'mono-bold';

const FACE_FILES: Record<Face, string> = {
  sans: 'DejaVuSans.ttf',
  'sans-bold': 'DejaVuSans-Bold.ttf',
  'sans-oblique': 'DejaVuSans-Oblique.ttf',
  'sans-bold-oblique': 'DejaVuSans-BoldOblique.ttf',
  serif: 'DejaVuSerif.ttf',
  'serif-bold': 'DejaVuSerif-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
  'mono-bold': 'DejaVuSansMono-Bold.ttf',
};

/** Paths of every font file the PNG renderer loads. */
export function fontFiles(): string[] {
  return Object.values(FACE_FILES).map((f) => join(FONT_DIR, f));
}

interface Metrics {
  unitsPerEm: number;
  /** Advance width in font units of each BMP code point the font maps; fallback for the rest. */
  advance: Map<number, number>;
  fallback: number;
}

const cache = new Map<Face, Metrics>();

function metrics(face: Face): Metrics {
  let m = cache.get(face);
  if (!m) {
    m = parseMetrics(readFileSync(join(FONT_DIR, FACE_FILES[face])));
    cache.set(face, m);
  }
  return m;
}

/** Reads unitsPerEm (head), the advance widths (hhea, hmtx) and the BMP character map (cmap format 4). */
function parseMetrics(buf: Buffer): Metrics {
  const tables = new Map<string, number>();
  const numTables = buf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const table = (tag: string): number => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`font has no ${tag} table`);
    return at;
  };
  const unitsPerEm = buf.readUInt16BE(table('head') + 18);
  const numberOfHMetrics = buf.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const glyphAdvance = (glyph: number): number => buf.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));

  const cmap = table('cmap');
  let sub = -1;
  for (let i = 0; i < buf.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const at = cmap + buf.readUInt32BE(rec + 4);
    if (((platform === 3 && encoding === 1) || platform === 0) && buf.readUInt16BE(at) === 4) {
      sub = at;
      break;
    }
  }
  if (sub < 0) throw new Error('font has no format-4 cmap');
  const segCount = buf.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segCount + 2;
  const deltas = starts + 2 * segCount;
  const rangeOffsets = deltas + 2 * segCount;
  const advance = new Map<number, number>();
  for (let s = 0; s < segCount; s++) {
    const end = buf.readUInt16BE(ends + 2 * s);
    const start = buf.readUInt16BE(starts + 2 * s);
    const delta = buf.readInt16BE(deltas + 2 * s);
    const rangeOffsetAt = rangeOffsets + 2 * s;
    const rangeOffset = buf.readUInt16BE(rangeOffsetAt);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        glyph = buf.readUInt16BE(rangeOffsetAt + rangeOffset + 2 * (c - start));
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) advance.set(c, glyphAdvance(glyph));
    }
  }
  return { unitsPerEm, advance, fallback: glyphAdvance(0) };
}

function faceOf(family: string, weight: string | number | undefined, style: string | undefined): Face {
  const f = family.toLowerCase();
  const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && /^[6-9]00$/.test(weight));
  const italic = style === 'italic' || style === 'oblique';
  if (/mono|courier|consol/.test(f)) return bold ? 'mono-bold' : 'mono';
  if (/serif/.test(f) && !/sans/.test(f)) return bold ? 'serif-bold' : 'serif';
  if (bold) return italic ? 'sans-bold-oblique' : 'sans-bold';
  return italic ? 'sans-oblique' : 'sans';
}

/** Width in pixels of `text` set in DejaVu at `size` px (family, weight and style as in CSS). */
export function measureText(text: string, size: number, family = 'sans-serif', weight?: string | number, style?: string): number {
  const m = metrics(faceOf(family, weight, style));
  let units = 0;
  for (const ch of text) units += m.advance.get(ch.codePointAt(0) ?? 0) ?? m.fallback;
  return (units * size) / m.unitsPerEm;
}

interface TextItem {
  font?: string;
  fontSize?: number;
  fontWeight?: string | number;
  fontStyle?: string;
}

let installed = false;

/**
 * Makes vega measure text with DejaVu's metrics (process-wide, in vega's textMetrics;
 * vega supports a user-defined width function for exactly this). Idempotent.
 */
export function useDejaVuMetrics(): void {
  if (installed) return;
  installed = true;
  // textMetrics is exported by vega (from vega-scenegraph) but missing from its typings
  const tm = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  // The raw line's width: vega's own truncation to `limit` calls this for each candidate
  // (so it must not truncate), and bounds of a truncated label only come out a little wide.
  tm.width = (item: TextItem, text: unknown): number => {
    const size = item.fontSize ?? 11;
    const s = text == null ? '' : String(text).trim();
    return size <= 0 ? 0 : measureText(s, size, item.font ?? 'sans-serif', item.fontWeight, item.fontStyle);
  };
}
