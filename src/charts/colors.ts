// The shared look of every chart and the fallback palette. The colours of levels,
// roles and strategies are the model's (its vocabularies, in the outcome
// declarations); a term declared without one takes STRATEGY_PALETTE in order. The
// palette is Okabe-Ito (Okabe & Ito 2008, "Color Universal Design"), which stays
// distinguishable under the common colour-vision deficiencies.
import type { Config } from 'vega-lite';

/** The fallback for terms (levels, roles, strategies) a model declares without a colour: taken in the declared order. */
export const STRATEGY_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'] as const;

/** Neutral colours for quantities that are not a level, a role or a strategy. */
export const NEUTRAL = { dark: '#333333', mid: '#777777', light: '#BBBBBB', edge: '#555555' } as const;

export function strategyScale(strategies: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...strategies], range: strategies.map((_, i) => STRATEGY_PALETTE[i % STRATEGY_PALETTE.length]) };
}

export const FONT = 'DejaVu Sans';

/**
 * The config every chart carries in its spec, so that the headless SVG, the PNG
 * (rendered by resvg with the DejaVu fonts of the dejavu-fonts-ttf package) and the
 * interactive chart in report.html look the same.
 */
export function baseConfig(): Config {
  return {
    font: FONT,
    background: '#FFFFFF',
    padding: 8,
    title: { font: FONT, fontSize: 15, fontWeight: 'bold', subtitleFont: FONT, subtitleFontSize: 11, subtitleColor: '#555555', anchor: 'start', offset: 10 },
    axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#E6E6E6' },
    legend: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
    header: { labelFont: FONT, titleFont: FONT, labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal' },
    text: { font: FONT, fontSize: 11 },
    view: { stroke: '#CCCCCC' },
  };
}
