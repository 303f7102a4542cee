// The text of a rendered chart's SVG with an estimated bounding box per text mark,
// for the legibility test. Boxes come from the SVG itself: the translate() of every
// enclosing <g>, the text's translate(x, y) rotate(a), its text-anchor, font-size and
// font-weight, and each line's width measured with DejaVu's own advance widths
// (src/report/fonts.ts measureText: the fonts the SVG and PNG are drawn with; no
// kerning, so widths are exact to about a pixel). Vertically, a line spans from 0.76
// em above its baseline (DejaVu's ascender for lower-case letters with ascenders) to
// 0.24 em below (its descender); tspans add their dy.
import { measureText } from '../../src/report/fonts.ts';

export interface TextBox {
  text: string;
  fontSize: number;
  /** The group's class (role-axis-label, role-legend-label, role-title-text, ...), to say what a text is. */
  role: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const ATTR = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

function translateOf(transform: string | undefined): [number, number] {
  const m = /translate\(\s*(-?[\d.e+-]+)[ ,]\s*(-?[\d.e+-]+)\s*\)/.exec(transform ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Every visible, non-empty text mark of an SVG with its estimated box in SVG pixels. */
export function textBoxes(svg: string): TextBox[] {
  const out: TextBox[] = [];
  const stack: { dx: number; dy: number; role: string }[] = [{ dx: 0, dy: 0, role: '' }];
  const token = /<g\b[^>]*>|<\/g>|<text\b[^>]*>([\s\S]*?)<\/text>/g;
  for (let m = token.exec(svg); m; m = token.exec(svg)) {
    const tag = m[0];
    const top = stack[stack.length - 1];
    if (tag === '</g>') {
      stack.pop();
      continue;
    }
    if (tag.startsWith('<g')) {
      const [tx, ty] = translateOf(ATTR(tag, 'transform'));
      const role = /role-([a-z-]+)/.exec(ATTR(tag, 'class') ?? '')?.[1] ?? top.role;
      if (!tag.endsWith('/>')) stack.push({ dx: top.dx + tx, dy: top.dy + ty, role });
      continue;
    }
    const open = /^<text\b[^>]*>/.exec(tag)![0];
    if (Number(ATTR(open, 'opacity') ?? 1) === 0 || Number(ATTR(open, 'fill-opacity') ?? 1) === 0) continue;
    const body = m[1];
    const lines: { text: string; dy: number }[] = [];
    if (body.includes('<tspan')) {
      for (const t of body.matchAll(/<tspan\b([^>]*)>([^<]*)<\/tspan>/g)) lines.push({ text: unescape(t[2]), dy: Number(ATTR(` ${t[1]}`, 'dy') ?? 0) });
    } else lines.push({ text: unescape(body), dy: 0 });
    if (lines.every((l) => l.text.trim() === '')) continue;
    const size = parseFloat(ATTR(open, 'font-size') ?? '11');
    const weight = ATTR(open, 'font-weight');
    const family = ATTR(open, 'font-family') ?? 'sans-serif';
    const width = Math.max(...lines.map((l) => measureText(l.text.trim(), size, family, weight)));
    const drop = lines.slice(1).reduce((a, l) => a + l.dy, 0);
    const anchor = ATTR(open, 'text-anchor') ?? 'start';
    const lx0 = anchor === 'middle' ? -width / 2 : anchor === 'end' ? -width : 0;
    const local = [
      [lx0, -0.76 * size],
      [lx0 + width, -0.76 * size],
      [lx0, drop + 0.24 * size],
      [lx0 + width, drop + 0.24 * size],
    ];
    const transform = ATTR(open, 'transform');
    const [tx, ty] = translateOf(transform);
    const angle = (Number(/rotate\(\s*(-?[\d.]+)/.exec(transform ?? '')?.[1] ?? 0) * Math.PI) / 180;
    const pts = local.map(([u, v]) => [u * Math.cos(angle) - v * Math.sin(angle) + tx + top.dx, u * Math.sin(angle) + v * Math.cos(angle) + ty + top.dy]);
    out.push({
      text: lines.map((l) => l.text).join(' / '),
      fontSize: size,
      role: top.role,
      x0: Math.min(...pts.map((p) => p[0])),
      x1: Math.max(...pts.map((p) => p[0])),
      y0: Math.min(...pts.map((p) => p[1])),
      y1: Math.max(...pts.map((p) => p[1])),
    });
  }
  return out;
}

/** Pairs of boxes that overlap by more than `tolerance` pixels in both directions. */
export function overlaps(boxes: readonly TextBox[], tolerance = 1): [TextBox, TextBox][] {
  const found: [TextBox, TextBox][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (w > tolerance && h > tolerance) found.push([a, b]);
    }
  }
  return found;
}
