// The data the chart builders take and the charts they give back. A results folder
// (manifest.json, series.csv, final.csv and, for sweeps, runs.csv, summary.csv and
// sensitivity.csv) read into memory with numbers parsed is a ResultData; src/report/
// does the reading, src/charts/ only turns data into Vega-Lite specs.
import type { TopLevelSpec } from 'vega-lite';
import type { Outcomes } from '../engine/model.ts';
import type { ParameterInfos } from '../experiment/parameters.ts';
import type { DiscoverySummary } from '../discover/data.ts';
import type { CalibrationView } from './calibrate.ts';

export type { ParameterInfo, ParameterInfos } from '../experiment/parameters.ts';
export type { MetricDeclaration, MetricDimensions, MetricKind, Outcomes, Term, Vocabularies } from '../engine/model.ts';

/** One chart: a Vega-Lite spec with its stable id (the file name, no extension), title and caption. */
export interface Chart {
  /** Stable, file-name safe id, e.g. `level-shares`; charts/<id>.vl.json, .svg, .png. */
  id: string;
  title: string;
  /** One or two sentences: what the chart shows and from how many runs. */
  caption: string;
  spec: TopLevelSpec;
}

/** One replication's entry in manifest.json. */
export interface ManifestReplication {
  replication: number;
  seed: string;
  roundsRun?: number;
  stoppedBy?: string;
  ms?: number;
}

/** manifest.json as src/sweep/store.ts writes it; sweeps may add fields, hence the index signature. */
export interface Manifest {
  migov?: string;
  specFile?: string | null;
  /** The spec file's comment header: the question the experiment asks. */
  question?: string;
  spec: {
    name: string;
    description?: string;
    model: string;
    params?: Record<string, unknown>;
    protocol?: Record<string, unknown>;
    rounds?: number;
    recordEvery?: number;
    replications?: number;
    seed?: string | number;
    [key: string]: unknown;
  };
  specHash?: string;
  seed?: string | number;
  seedDerivation?: string;
  replications?: ManifestReplication[];
  versions?: Record<string, string>;
  git?: { commit: string; dirty: boolean } | null;
  platform?: string;
  startedAt?: string;
  endedAt?: string;
  /** File name -> sha256 hex. */
  files?: Record<string, string>;
  /** The model's outcome declarations for this spec: every metric's description, unit, kind and dimensions, and the vocabularies (absent in folders written before they existed). */
  outcomes?: Outcomes;
  /** Each swept parameter's label, unit and description from the schema that defines it (sweeps; absent in folders written before they existed). */
  parameters?: ParameterInfos;
  [key: string]: unknown;
}

/** series.csv: one row per replication x record x metric (tidy, long). */
export interface SeriesRow {
  replication: number;
  seed: string;
  round: number;
  metric: string;
  value: number;
}

/**
 * final.csv: one row per replication: replication, seed, rounds_run, stopped_by and
 * one column per metric (numbers parsed; seed and stopped_by stay strings).
 */
export type FinalRow = Record<string, number | string>;

/**
 * runs.csv (sweeps): one row per run: `point` (design point id), `replication`,
 * `seed`, the swept parameters as columns named by their dotted path (e.g.
 * `params.issueAreas.0.excludability`), then the final metrics.
 */
export type RunRow = Record<string, number | string>;

/**
 * summary.csv (sweeps): per design point and metric: the parameter columns (dotted
 * paths, numbers), then metric, mean, sd, ci95 (half-width of the t-based 95 %
 * interval of the mean; NaN/empty when n < 2) and n. `point` (the design point id)
 * may be present too.
 */
export type SummaryRow = Record<string, number | string> & {
  metric: string;
  mean: number;
  sd: number;
  ci95: number;
  n: number;
};

export type SensitivityIndex = 'S1' | 'ST' | 'mu_star' | 'sigma';

/** sensitivity.csv (sweeps): one row per method x parameter x metric x index. */
export interface SensitivityRow {
  /** 'sobol' or 'morris'. */
  method: string;
  parameter: string;
  metric: string;
  index: SensitivityIndex | string;
  value: number;
  ci_low: number;
  ci_high: number;
}

/** A results folder in memory. */
export interface ResultData {
  manifest: Manifest;
  /**
   * What the metrics mean: the manifest's declarations, or for a folder without them
   * (written before they existed) every metric a plain number of unknown unit, with
   * no dimensions (see declaredOutcomes in src/charts/outcomes.ts). Charts read
   * these, never the metric names.
   */
  outcomes?: Outcomes;
  /** Each swept parameter in words (the manifest's `parameters`); a parameter without them is titled by its path. */
  parameters?: ParameterInfos;
  series: SeriesRow[];
  final: FinalRow[];
  runs?: RunRow[];
  summary?: SummaryRow[];
  sensitivity?: SensitivityRow[];
  /** A `migov discover` folder's boxes and trajectory (its manifest's `discover`). */
  discover?: DiscoverySummary;
  /** A `migov calibrate` folder's summary, NROY samples and predictive bands. */
  calibration?: CalibrationView;
}
