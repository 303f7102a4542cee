// outcomes.csv: the tidy long table, one row per run, round and metric, with the
// metric's dimensions, kind and unit read from its declaration (never from its
// name), so that pandas and R can filter and facet without reshaping. Empty cells
// where a metric has no such dimension.
import type { MetricDeclaration } from '../engine/model.ts';

/** The columns that describe a metric, between the run's columns and the value. */
export const METRIC_COLUMNS = ['metric', 'issue_area', 'level', 'role', 'strategy', 'kind', 'unit'] as const;

/** The cells of METRIC_COLUMNS for one declared metric. */
export function metricCells(m: MetricDeclaration): string[] {
  const d = m.dimensions ?? {};
  return [m.name, d.issueArea ?? '', d.level ?? '', d.role ?? '', d.strategy ?? '', m.kind, m.unit];
}
