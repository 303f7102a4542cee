// What scenario discovery works on: the runs of a sweep as factors (the design's
// parameters: numbers, or categories such as a club kind) and one flag per run saying
// whether the run is of interest (its outcomes meet the condition). Pure data, kept
// as typed arrays so that PRIM and CART on 100,000 runs allocate little.

/** A numeric factor: one value per run. */
export interface NumericFactor {
  readonly name: string;
  readonly kind: 'numeric';
  readonly values: Float64Array;
}

/** A categorical factor: one category code (index into `categories`) per run. */
export interface CategoricalFactor {
  readonly name: string;
  readonly kind: 'categorical';
  readonly categories: readonly string[];
  readonly codes: Int32Array;
}

export type Factor = NumericFactor | CategoricalFactor;

export interface DiscoverData {
  readonly factors: readonly Factor[];
  /** 1 where the run is of interest, 0 elsewhere. */
  readonly y: Uint8Array;
}

/** The limits of a box on one factor. */
export type Limit =
  | {
      readonly factor: string;
      readonly kind: 'numeric';
      /** The box keeps runs with lower <= value <= upper. */
      readonly lower: number;
      readonly upper: number;
      /** The range of the factor over all runs (the unrestricted box). */
      readonly min: number;
      readonly max: number;
      readonly restricted: boolean;
      /** Quasi-p-value of the lower and upper limit (null where that side is not restricted). */
      readonly qpLower: number | null;
      readonly qpUpper: number | null;
    }
  | {
      readonly factor: string;
      readonly kind: 'categorical';
      /** The categories the box keeps. */
      readonly categories: readonly string[];
      /** Every category of the factor. */
      readonly all: readonly string[];
      readonly restricted: boolean;
      readonly qp: number | null;
    };

/** A box with its statistics. Coverage is relative to every run of interest in the data set; density and mass to the runs in the box. */
export interface Box {
  readonly limits: readonly Limit[];
  readonly coverage: number;
  readonly density: number;
  readonly mass: number;
  /** Runs in the box, and of them the runs of interest. */
  readonly runs: number;
  readonly runsOfInterest: number;
  /** Names of the restricted factors. */
  readonly restricted: readonly string[];
  /** Whether the box's density reaches the threshold asked for. */
  readonly meetsThreshold: boolean;
}

/** One box on a peeling (and pasting) trajectory. */
export interface TrajectoryStep {
  readonly step: number;
  readonly phase: 'start' | 'peel' | 'paste';
  readonly coverage: number;
  readonly density: number;
  readonly mass: number;
  readonly restricted: readonly string[];
}

/** Checks that every factor has one value per run; throws a RangeError naming the factor otherwise. */
export function checkData(data: DiscoverData): void {
  const n = data.y.length;
  for (const f of data.factors) {
    const len = f.kind === 'numeric' ? f.values.length : f.codes.length;
    if (len !== n) throw new RangeError(`factor ${f.name} has ${len} values for ${n} runs`);
    if (f.kind === 'numeric') {
      for (let i = 0; i < n; i++) if (!Number.isFinite(f.values[i])) throw new RangeError(`factor ${f.name} has a value that is not a finite number at run ${i}`);
    } else {
      for (let i = 0; i < n; i++) if (!(f.codes[i] >= 0 && f.codes[i] < f.categories.length)) throw new RangeError(`factor ${f.name} has an unknown category code at run ${i}`);
    }
  }
}

/** The data of the runs `rows` (with repeats, for a bootstrap resample). */
export function subset(data: DiscoverData, rows: Int32Array): DiscoverData {
  const y = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) y[i] = data.y[rows[i]];
  const factors = data.factors.map((f): Factor => {
    if (f.kind === 'numeric') {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = f.values[rows[i]];
      return { name: f.name, kind: 'numeric', values };
    }
    const codes = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) codes[i] = f.codes[rows[i]];
    return { name: f.name, kind: 'categorical', categories: f.categories, codes };
  });
  return { factors, y };
}

/** One point of a trade-off chart: a box of a PRIM trajectory, or a CART leaf. */
export interface TradeoffPoint {
  /** The box (1, 2, ...) whose search it belongs to; for CART, the leaf's number. */
  readonly box: number;
  readonly step: number;
  readonly phase: 'start' | 'peel' | 'paste' | 'leaf';
  readonly coverage: number;
  readonly density: number;
  readonly mass: number;
  readonly restricted: readonly string[];
  /** Whether this is a box reported in boxes.csv. */
  readonly reported: boolean;
}

/** What a discovery found, as `migov discover` stores it in its manifest (and writes as boxes.csv and trajectory.csv). */
export interface DiscoverySummary {
  readonly method: 'prim' | 'cart';
  /** The condition the runs of interest meet. */
  readonly where: string;
  readonly runs: number;
  readonly runsOfInterest: number;
  /** The method's settings as used (defaults filled in). */
  readonly options: Readonly<Record<string, number | string>>;
  /** The boxes reported, best first. */
  readonly boxes: readonly Box[];
  readonly trajectory: readonly TradeoffPoint[];
  /** Per factor: share of bootstrap resamples whose first PRIM box restricts it. */
  readonly restrictionFrequency?: Readonly<Record<string, number>>;
  readonly resamples: number;
}
