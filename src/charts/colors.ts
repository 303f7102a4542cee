// Fixed colours and the shared look of every chart. Colours are from the Okabe-Ito
// palette (Okabe & Ito 2008, "Color Universal Design"), which stays distinguishable
// under the common colour-vision deficiencies. A level has the same colour in every
// chart, SVG, PNG and the HTML report: U vermillion, C blue, M bluish green.
import type { Config } from 'vega-lite';

export const LEVELS = ['U', 'C', 'M'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_COLORS: Record<Level, string> = { U: '#D55E00', C: '#0072B2', M: '#009E73' };

/** The label a level carries in legends and tooltips (and the colour scale's domain). */
export const LEVEL_LABELS: Record<Level, string> = { U: 'U unilateral', C: 'C club', M: 'M multilateral' };

export const ROLES = ['origin', 'transit', 'destination'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_COLORS: Record<Role, string> = { origin: '#E69F00', transit: '#CC79A7', destination: '#56B4E9' };

/** Strategies of the textbook models take these in the model's order. */
export const STRATEGY_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'] as const;

/** Neutral colours for quantities that are not a level, a role or a strategy. */
export const NEUTRAL = { dark: '#333333', mid: '#777777', light: '#BBBBBB', edge: '#555555' } as const;

/** Sequential ramp ending in the M colour, for the multilateral share. */
export const MULTILATERAL_RAMP = ['#F2F2F2', LEVEL_COLORS.M] as const;

/** Colour scale for the levels: fixed domain (labels) and range, so the order and colours never depend on the data. */
export function levelScale(): { domain: string[]; range: string[] } {
  return { domain: LEVELS.map((l) => LEVEL_LABELS[l]), range: LEVELS.map((l) => LEVEL_COLORS[l]) };
}

export function roleScale(): { domain: string[]; range: string[] } {
  return { domain: [...ROLES], range: ROLES.map((r) => ROLE_COLORS[r]) };
}

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
