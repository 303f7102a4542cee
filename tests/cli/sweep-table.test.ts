import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepResultsTable } from '../../src/cli/sweep-table.ts';
import { tempDir } from './helpers.ts';

/** A summary.csv of `points` design points over one factor x, metrics a (mean = point) and b. */
function folder(points: number): string {
  const dir = tempDir();
  const rows = ['point,x,metric,n,mean,sd,ci95'];
  for (let p = 0; p < points; p++) {
    rows.push(`${p},${p / 10},a,3,${(p * 7) % points},0.1,0.05`, `${p},${p / 10},b,1,${-p},,`);
  }
  writeFileSync(join(dir, 'summary.csv'), `${rows.join('\n')}\n`);
  return dir;
}

describe('sweepResultsTable', () => {
  it('shows every point of a small design with mean ± CI of the chosen metrics', () => {
    const text = sweepResultsTable(folder(4), ['b', 'a']);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Final values, mean ± 95% CI over replications:');
    expect(lines[1]).toMatch(/^point\s+x\s+b\s+a$/);
    expect(lines).toHaveLength(1 + 2 + 4);
    // one replication has no CI: the mean alone
    expect(lines[4]).toMatch(/^1\s+0\.1\s+-1\s+3 ± 0\.05$/);
  });

  it('shows the top and bottom 5 points by the first metric for a design of more than 20, saying so', () => {
    const text = sweepResultsTable(folder(30), undefined);
    expect(text).toMatch(/30 design points: the top 5 and bottom 5 by the mean of a/);
    const body = text.split('\n').filter((l) => /^\d+\s+[\d.]+\s/.test(l));
    expect(body).toHaveLength(10);
    const means = body.map((l) => Number(l.trim().split(/\s+/)[2]));
    expect(means).toEqual([29, 28, 27, 26, 25, 4, 3, 2, 1, 0]);
    expect(text).toMatch(/\n\.\.\.\n/);
  });

  it('shows at most 6 chosen metrics, saying how many there are', () => {
    const dir = folder(2);
    const text = sweepResultsTable(dir, ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(text).toMatch(/The first 6 of the 8 chosen metrics/);
  });
});
