// The `charts:` section checked against the rest of the spec: each chart names a
// metric the run keeps (the model's, and one of `metrics:` when that list is given),
// and its x, y and by name the sweep's factors. The shape (kinds, fields) is the
// zod schema's (schema.ts); this runs after the model is known.
import { closest, quote, type SpecProblem } from './errors.ts';
import type { ChartRequest, SweepSpec } from './schema.ts';

interface ChartedSpec {
  metrics?: readonly string[];
  sweep?: SweepSpec;
  charts?: readonly ChartRequest[];
}

/** `by: none`: average over the other factor (the caption says so) instead of one line per value. */
export const BY_NONE = 'none';

/** Every problem of a spec's `charts:`, given the metrics its model records for its params. */
export function chartProblems(spec: ChartedSpec, modelMetrics: readonly string[], modelName: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const kept = spec.metrics && spec.metrics.length > 0 ? spec.metrics : modelMetrics;
  const factors = spec.sweep?.factors.map((f) => f.path) ?? [];
  const grid = spec.sweep?.design === 'grid';
  (spec.charts ?? []).forEach((c, i) => {
    const at = `charts.${i}`;
    if (!kept.includes(c.metric)) {
      const hint = closest(c.metric, kept);
      const inModel = modelMetrics.includes(c.metric);
      problems.push({
        field: `${at}.metric`,
        message: inModel
          ? `metric ${quote(c.metric)} is not in this spec's metrics: list, so no run keeps it`
          : `unknown metric ${quote(c.metric)} for model ${modelName}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        allowed: inModel ? `one of metrics: (${kept.join(', ')}), or add it there` : kept.join(', '),
      });
    }
    const axis = (key: 'x' | 'y' | 'by') => {
      const path = c[key];
      if (path === undefined || (key === 'by' && path === BY_NONE)) return;
      if (!factors.includes(path)) {
        const hint = closest(path, factors);
        problems.push({
          field: `${at}.${key}`,
          message: `${quote(path)} is not a swept factor${hint ? ` (did you mean "${hint}"?)` : ''}`,
          allowed: factors.length > 0 ? `one of the sweep's factors: ${factors.join(', ')}${key === 'by' ? `, or ${BY_NONE}` : ''}` : 'a factor of a sweep: section (this spec has none)',
        });
      }
    };
    if (c.kind === 'series') {
      for (const key of ['x', 'y', 'by'] as const) {
        if (c[key] !== undefined) problems.push({ field: `${at}.${key}`, message: `a series chart has rounds on its x axis and takes no ${key}`, allowed: 'metric and kind only' });
      }
      if (spec.sweep) {
        // the rounds of all design points in one chart would average points with different parameters
        problems.push({ field: `${at}.kind`, message: "a series chart is of one run's replications; in a sweep it would average the rounds of design points with different parameters", allowed: 'kind response or phase (or migov run on one point, e.g. with --set)' });
      }
      return;
    }
    if (!spec.sweep) {
      problems.push({ field: `${at}.kind`, message: `a ${c.kind} chart needs a sweep: section (it draws the metric against swept factors)`, allowed: 'kind series for a run' });
      return;
    }
    if (c.kind === 'phase' && factors.length < 2) problems.push({ field: `${at}.kind`, message: `a phase diagram needs two swept factors; the sweep has ${factors.length}`, allowed: 'kind response or series' });
    axis('x');
    if (c.kind === 'phase') {
      axis('y');
      if (c.by !== undefined) problems.push({ field: `${at}.by`, message: 'a phase diagram takes x and y, not by', allowed: 'x and y' });
      if (c.x !== undefined && c.x === (c.y ?? factors.find((f) => f !== c.x))) problems.push({ field: `${at}.y`, message: `y is the same factor as x (${quote(c.x)})`, allowed: 'another swept factor' });
    } else {
      if (c.y !== undefined) problems.push({ field: `${at}.y`, message: 'a response curve takes x and by, not y', allowed: 'x and by' });
      axis('by');
      if (c.by !== undefined && c.by !== BY_NONE && c.by === (c.x ?? factors[0])) problems.push({ field: `${at}.by`, message: `by is the same factor as x (${quote(c.by)})`, allowed: 'another swept factor' });
      if (c.by !== undefined && c.by !== BY_NONE && !grid) {
        problems.push({ field: `${at}.by`, message: `one line per value of a factor needs a grid design; a ${spec.sweep.design} design samples it continuously`, allowed: `no by (the caption says what the curve averages over), or design: grid` });
      }
    }
  });
  return problems;
}
