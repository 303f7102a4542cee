// History matching (Craig, Goldstein, Seheult and Smith 1997; Vernon, Goldstein and
// Bower 2010; Andrianakis et al. 2015), pure: waves of design points, an emulator per
// target and wave (emulator.ts), implausibility, and the not-ruled-out-yet (NROY)
// region as a rejection sample. Where the runs happen is the caller's: `runWave` gets
// the wave's number and its box and returns the replications it ran (src/calibrate/
// calibrate.ts runs each wave as an LHS sweep; the tests pass a synthetic simulator).
//
// Implausibility of target j at x (unit cube of the prior):
//   I_j(x) = |z_j - E[f_j(x)]| / sqrt(Var_emulator_j(x) + sd_j^2 + discrepancy^2 + Var_model_j(x))
// where Var_model is the replications' variance near x (the observed history is one
// realisation of a stochastic model), and x is ruled out when max_j I_j(x) > cutoff
// (3 by default: Pukelsheim's (1994) three-sigma rule, at least 95 % of any
// unimodal distribution within 3 standard deviations).
//
// Waves. Wave 1 samples the whole prior box. After wave k, `candidates` points drawn
// uniformly in wave k's box are kept if no wave's emulator so far rules them out:
// these are the NROY samples, and (their count / candidates) x the box's volume is
// the NROY share of the prior. Wave k + 1 samples the box that bounds them, widened
// by 2 % of each prior range (a bound of a finite sample lies inside the region's).
// Its emulators are trained on every run so far inside that box. Everything is drawn
// from streams seeded by the seed and the wave: same seed and same runs, same region.
import { createRng, runSeed } from '../engine/rng.ts';
import { type Emulator, fitEmulator } from './emulator.ts';

export interface Target {
  readonly metric: string;
  readonly round: number;
  readonly mean: number;
  readonly sd: number;
  readonly label?: string;
}

/** A box in the unit cube of the prior. */
export interface Box {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/** What a wave ran: for each design point, its place in the unit cube and, per target, the value of each replication. */
export interface WaveRuns {
  readonly points: readonly { readonly x: readonly number[]; readonly values: readonly (readonly number[])[] }[];
}

export interface HistoryMatchOptions {
  readonly dimensions: number;
  readonly targets: readonly Target[];
  readonly discrepancy: number;
  readonly waves: number;
  readonly candidates: number;
  readonly cutoff: number;
  readonly seed: string | number;
  readonly runWave: (wave: number, box: Box) => Promise<WaveRuns>;
}

export interface WaveSummary {
  readonly wave: number;
  readonly box: Box;
  /** Design points with at least 2 replications. */
  readonly points: number;
  /** Of them, those that the earlier waves' emulators do not rule out. */
  readonly pointsInPreviousNroy: number;
  /** Design points (of all waves so far) the emulators were trained on. */
  readonly trainingPoints: number;
  readonly emulators: readonly { readonly target: number; readonly lengths: readonly number[]; readonly signal: number; readonly mean: number; readonly logLikelihood: number }[];
  readonly candidates: number;
  readonly accepted: number;
  /** Share of the prior's volume not ruled out after this wave. */
  readonly nroyShare: number;
}

export interface HistoryMatchResult {
  readonly waves: readonly WaveSummary[];
  /** The last wave's NROY samples (unit cube) with their largest implausibility. */
  readonly nroy: readonly { readonly x: readonly number[]; readonly maxImplausibility: number }[];
  /** Every design point run, with its wave and its largest implausibility under all the emulators. */
  readonly design: readonly { readonly wave: number; readonly x: readonly number[]; readonly means: readonly number[]; readonly maxImplausibility: number }[];
  /** Whether the waves stopped early because nothing was left (the model ruled out everywhere at the cutoff). */
  readonly empty: boolean;
  /** Every wave's emulators, per target. */
  readonly emulators: readonly (readonly Emulator[])[];
}

/** Largest implausibility over the targets under one wave's emulators; stops early once above `stopAbove`. */
export function maxImplausibility(emulators: readonly Emulator[], targets: readonly Target[], discrepancy: number, x: readonly number[], stopAbove = Infinity): number {
  let worst = 0;
  for (let j = 0; j < targets.length; j++) {
    const p = emulators[j].predict(x);
    const t = targets[j];
    const v = p.variance + t.sd * t.sd + discrepancy * discrepancy + emulators[j].modelVariance(x);
    const i = Math.abs(t.mean - p.mean) / Math.sqrt(v);
    if (i > worst) worst = i;
    if (worst > stopAbove) return worst;
  }
  return worst;
}

function inBox(x: readonly number[], box: Box): boolean {
  for (let d = 0; d < x.length; d++) if (x[d] < box.lower[d] - 1e-12 || x[d] > box.upper[d] + 1e-12) return false;
  return true;
}

function meanVar(values: readonly number[]): { mean: number; variance: number } {
  let m = 0;
  for (const v of values) m += v;
  m /= values.length;
  let s = 0;
  for (const v of values) s += (v - m) * (v - m);
  return { mean: m, variance: s / (values.length - 1) };
}

export async function historyMatch(o: HistoryMatchOptions): Promise<HistoryMatchResult> {
  const d = o.dimensions;
  let box: Box = { lower: Array.from({ length: d }, () => 0), upper: Array.from({ length: d }, () => 1) };
  const all: { wave: number; x: readonly number[]; stats: { mean: number; variance: number }[]; replications: number }[] = [];
  const waves: WaveSummary[] = [];
  const emulators: Emulator[][] = [];
  let nroy: { x: number[]; maxImplausibility: number }[] = [];
  let empty = false;
  const ruledOutBefore = (x: readonly number[]) => emulators.some((em) => maxImplausibility(em, o.targets, o.discrepancy, x, o.cutoff) > o.cutoff);

  for (let wave = 1; wave <= o.waves; wave++) {
    const runs = await o.runWave(wave, box);
    let points = 0;
    let inPrevious = 0;
    for (const p of runs.points) {
      const reps = Math.min(...p.values.map((v) => v.filter(Number.isFinite).length));
      if (!(reps >= 2)) continue;
      points++;
      if (!ruledOutBefore(p.x)) inPrevious++;
      all.push({ wave, x: p.x, stats: p.values.map((v) => meanVar(v.filter(Number.isFinite))), replications: reps });
    }
    const train = all.filter((p) => inBox(p.x, box));
    if (train.length < 2) throw new Error(`wave ${wave}: ${train.length} design points with 2 or more finished replications; an emulator needs 2 or more`);
    // the replications per point may differ where runs failed; the smallest count is the cautious one for the noise of a mean
    const reps = Math.min(...train.map((p) => p.replications));
    const ems = o.targets.map((_, j) =>
      fitEmulator(
        train.map((p) => p.x),
        train.map((p) => p.stats[j].mean),
        train.map((p) => p.stats[j].variance),
        reps,
      ),
    );
    emulators.push(ems);

    const rng = createRng(runSeed(o.seed, 'calibrate:candidates', wave));
    const accepted: { x: number[]; maxImplausibility: number }[] = [];
    for (let c = 0; c < o.candidates; c++) {
      const x = Array.from({ length: d }, (_, k) => box.lower[k] + rng() * (box.upper[k] - box.lower[k]));
      // the newest emulator first: it rules out most
      let worst = 0;
      for (let w = emulators.length - 1; w >= 0 && worst <= o.cutoff; w--) worst = Math.max(worst, maxImplausibility(emulators[w], o.targets, o.discrepancy, x, o.cutoff));
      if (worst <= o.cutoff) accepted.push({ x, maxImplausibility: worst });
    }
    let volume = 1;
    for (let k = 0; k < d; k++) volume *= box.upper[k] - box.lower[k];
    waves.push({
      wave,
      box,
      points,
      pointsInPreviousNroy: inPrevious,
      trainingPoints: train.length,
      emulators: ems.map((e, j) => ({ target: j, lengths: e.lengths, signal: e.signal, mean: e.mean, logLikelihood: e.logLikelihood })),
      candidates: o.candidates,
      accepted: accepted.length,
      nroyShare: (accepted.length / o.candidates) * volume,
    });
    nroy = accepted;
    if (accepted.length === 0) {
      empty = true;
      break;
    }
    if (wave < o.waves) {
      const lower = Array.from({ length: d }, (_, k) => Math.max(0, Math.min(...accepted.map((a) => a.x[k])) - 0.02));
      const upper = Array.from({ length: d }, (_, k) => Math.min(1, Math.max(...accepted.map((a) => a.x[k])) + 0.02));
      box = { lower, upper };
    }
  }

  const design = all.map((p) => {
    let worst = 0;
    for (const em of emulators) worst = Math.max(worst, maxImplausibility(em, o.targets, o.discrepancy, p.x));
    return { wave: p.wave, x: p.x, means: p.stats.map((s) => s.mean), maxImplausibility: worst };
  });
  return { waves, nroy, design, empty, emulators };
}

/** The q-quantile (0..1) of sorted values, by linear interpolation (type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export type Identification = 'identified' | 'weakly constrained' | 'not identifiable';

/**
 * How well the NROY samples pin each parameter down: the 5th to 95th percentile of
 * the samples in the prior's unit range, divided by 0.9 (that interval's width under
 * the prior itself): below 0.5 identified, 0.5 to 0.9 weakly constrained, above 0.9
 * not identifiable. NaN (and not identifiable) with no samples.
 */
export function identification(nroy: readonly { readonly x: readonly number[] }[], dimensions: number): { q05: number; q50: number; q95: number; share: number; verdict: Identification }[] {
  return Array.from({ length: dimensions }, (_, k) => {
    const s = nroy.map((p) => p.x[k]).sort((a, b) => a - b);
    const q05 = quantile(s, 0.05);
    const q95 = quantile(s, 0.95);
    const share = (q95 - q05) / 0.9;
    const verdict: Identification = !(share <= 0.9) ? 'not identifiable' : share < 0.5 ? 'identified' : 'weakly constrained';
    return { q05, q50: quantile(s, 0.5), q95, share, verdict };
  });
}
