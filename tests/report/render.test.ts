import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { fontFiles, measureText } from '../../src/report/fonts.ts';
import { compileChart, PNG_SCALE, RenderError, renderChart, svgSize } from '../../src/report/render.ts';
import { barChart, lineChart } from './fixtures.ts';

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('rendering a chart', () => {
  it('draws one bar per data row in the SVG, with the title and axis titles', async () => {
    for (const n of [3, 7]) {
      const { svg } = await renderChart(barChart('bars', n));
      expect(svg.startsWith('<svg')).toBe(true);
      expect(count(svg, 'aria-roledescription="bar"')).toBe(n);
      expect(svg).toContain('>Bars</text>');
      expect(svg).toContain('>share of states</text>');
    }
  });

  it('draws a line and one point per data row', async () => {
    const { svg } = await renderChart(lineChart('line', 8));
    expect(count(svg, 'aria-roledescription="line mark"')).toBe(1);
    expect(count(svg, 'aria-roledescription="point"')).toBe(8);
  });

  it('refuses a spec that vega-lite warns about, and one that vega warns about while rendering', async () => {
    const bad = barChart('bad');
    bad.spec = { ...bad.spec, encoding: { ...(bad.spec as { encoding: object }).encoding, shape: { field: 'level', type: 'nominal' } } } as never;
    expect(() => compileChart(bad)).toThrow(RenderError);
    expect(() => compileChart(bad)).toThrow(/chart "bad": vega-lite warning: shape dropped/);
    const log = lineChart('log');
    log.spec = { ...log.spec, encoding: { x: { field: 'round', type: 'quantitative', scale: { type: 'log' } } } } as never;
    await expect(renderChart(log)).rejects.toThrow(/chart "log": vega warning: Log scale domain includes zero/);
  });

  it('gives a PNG of the SVG at PNG_SCALE, byte-identical across renders', async () => {
    const a = await renderChart(lineChart());
    const b = await renderChart(lineChart());
    const { width, height } = svgSize(a.svg);
    expect(width).toBeGreaterThan(300); // the plot is 300 wide, plus axes
    expect(pngSize(a.png)).toEqual({ width: width * PNG_SCALE, height: height * PNG_SCALE });
    expect(a.svg).toBe(b.svg);
    expect(a.png.equals(b.png)).toBe(true);
    const other = await renderChart(lineChart('line', 9));
    expect(other.png.equals(a.png)).toBe(false);
  });

  it('measures text with the DejaVu metrics that resvg draws it with', () => {
    // resvg's ink box is the advance width less the first and last glyphs' side bearings
    // (under 0.1 em each) and pixel rounding; vega's fallback estimate (0.8 em a
    // character) would be off by far more (256 px for the first text, 64 for the last)
    for (const [text, weight] of [['Governance level', 'normal'], ['MMMM', 'bold'], ['iiii', 'normal']] as const) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="10" y="30" font-family="sans-serif" font-weight="${weight}" font-size="20">${text}</text></svg>`;
      const ink = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: fontFiles(), sansSerifFamily: 'DejaVu Sans' } }).innerBBox()!.width;
      const advance = measureText(text, 20, 'sans-serif', weight);
      expect(advance).toBeGreaterThanOrEqual(ink);
      expect(advance - ink).toBeLessThan(0.2 * 20 + 1);
    }
  });
});
