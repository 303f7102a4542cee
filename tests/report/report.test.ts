import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chart } from '../../src/charts/types.ts';
import { writeReport } from '../../src/report/index.ts';
import { RenderError } from '../../src/report/render.ts';
import { tempDir } from '../cli/helpers.ts';
import { barChart, lineChart, smallFolder } from './fixtures.ts';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function copy(folder: string): string {
  const dir = join(tempDir('migov-rep-'), 'copy');
  cpSync(folder, dir, { recursive: true });
  return dir;
}

/** Every file under `dir` with its bytes' sha256. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    if (statSync(join(dir, f)).isFile()) out[f] = sha(join(dir, f));
  }
  return out;
}

let folder: string;
beforeAll(() => {
  folder = smallFolder('Does <b>cooperation</b> survive?\n\n- at r = 3\n- with "noise" & <script>alert(1)</script>');
});

const two = (): Chart[] => [barChart('bars', 4), lineChart('line', 6)];

describe('writeReport', () => {
  it('writes every chart as .vl.json, .svg and .png, and report.html, and records their sha256 in the manifest', async () => {
    const dir = copy(folder);
    const before = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const path = await writeReport(dir, { charts: two });
    expect(path).toBe(join(dir, 'report.html'));
    expect(readdirSync(join(dir, 'charts')).sort()).toEqual(['bars.png', 'bars.svg', 'bars.vl.json', 'line.png', 'line.svg', 'line.vl.json']);
    expect(JSON.parse(readFileSync(join(dir, 'charts', 'bars.vl.json'), 'utf8'))).toEqual(barChart('bars', 4).spec);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const files = Object.keys(manifest.files);
    expect(files).toEqual(['series.csv', 'outcomes.csv', 'final.csv', ...['bars', 'line'].flatMap((id) => [`charts/${id}.png`, `charts/${id}.svg`, `charts/${id}.vl.json`]), 'report.html']);
    for (const f of files) expect(manifest.files[f], f).toBe(sha(join(dir, f)));
    // nothing else in the manifest changes, and no temporary file is left
    expect({ ...manifest, files: before.files }).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'charts')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('gives byte-identical files when made again, and drops charts that no longer apply', async () => {
    const dir = copy(folder);
    await writeReport(dir, { charts: two });
    const first = snapshot(dir);
    await writeReport(dir, { charts: two });
    expect(snapshot(dir)).toEqual(first);
    writeFileSync(join(dir, 'charts', 'notes.txt'), 'mine');
    await writeReport(dir, { charts: () => [lineChart('line', 6)] });
    expect(readdirSync(join(dir, 'charts')).sort()).toEqual(['line.png', 'line.svg', 'line.vl.json', 'notes.txt']);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files).filter((f) => f.startsWith('charts/'))).toEqual(['charts/line.png', 'charts/line.svg', 'charts/line.vl.json']);
    expect(sha(join(dir, 'charts', 'line.png'))).toBe(first['charts/line.png']);
  });

  it('leaves the folder as it was when a chart fails to render', async () => {
    const dir = copy(folder);
    await writeReport(dir, { charts: two });
    const before = snapshot(dir);
    const bad = barChart('bad');
    bad.spec = { ...bad.spec, encoding: { ...(bad.spec as { encoding: object }).encoding, shape: { field: 'level', type: 'nominal' } } } as never;
    await expect(writeReport(dir, { charts: () => [...two(), bad] })).rejects.toThrow(RenderError);
    expect(snapshot(dir)).toEqual(before);
    await expect(writeReport(dir, { charts: () => [barChart('a/b')] })).rejects.toThrow(/chart id "a\/b" is not a file name/);
  });

  it('makes one self-contained, escaped report.html with every section, chart and table', async () => {
    const dir = copy(folder);
    const html = readFileSync(await writeReport(dir, { charts: two }), 'utf8');
    // self-contained: the three libraries inline, nothing loaded from anywhere
    expect(html).toMatch(/<script data-library="vega">/);
    expect(html).toMatch(/<script data-library="vega-lite">/);
    expect(html).toMatch(/<script data-library="vega-embed">/);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/sourceMappingURL/);
    expect(html).toContain("default-src 'none'");
    // escaped: the question's markup is text, and only our own scripts exist
    expect(html).toContain('Does &lt;b&gt;cooperation&lt;/b&gt; survive?');
    expect(html).toContain('with &quot;noise&quot; &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html.match(/<script\b/g)).toHaveLength(5); // chart data, 3 libraries, the embedding script
    // sections, contents and charts
    for (const id of ['question', 'charts', 'summary', 'parameters', 'spec', 'manifest']) {
      expect(html).toContain(`<section id="${id}">`);
      expect(html).toContain(`<li><a href="#${id}">`);
    }
    expect(html).toContain('<div class="chart" data-chart="bars"');
    expect(html).toContain('<div class="chart" data-chart="line"');
    expect(html).toContain('<strong>Figure 2. A line.</strong> 6 points on a line.');
    expect(html).toContain('@media print');
    // the summary table: one row per final metric; the parameter table by dotted path
    // each final metric with its meaning and unit, as the model declares them
    expect(html).toMatch(/<td>share_C<\/td><td>share of agents playing C cooperate<\/td><td>share of agents<\/td><td class="num">[\d.]+<\/td>/);
    expect(html).toContain('<td>Z</td><td>50</td>');
    expect(html).toContain('<td>selectionIntensity</td><td>1</td>');
    // the manifest: spec hash, seed, file checks
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(html).toContain(manifest.specHash);
    expect(html).toContain(`<td>series.csv</td><td>${manifest.files['series.csv']}</td><td>matches</td>`);
    expect(html).not.toContain('<section id="sensitivity">');
  });

  it('shows the sweep tables of a sweep folder, and flags a data file that changed', async () => {
    const dir = copy(folder);
    writeFileSync(join(dir, 'runs.csv'), 'point,replication,seed,params.r,share_C\n0,0,aa,2,0.1\n1,0,bb,4,0.9\n');
    writeFileSync(join(dir, 'summary.csv'), 'params.r,metric,mean,sd,ci95,n\n2,share_C,0.1,,,1\n4,share_C,0.9,,,1\n');
    // `migov sweep` calls the parameter column `factor`, and its manifest counts replications
    writeFileSync(join(dir, 'sensitivity.csv'), 'method,factor,metric,index,value,ci_low,ci_high\nmorris,params.r,share_C,mu_star,0.8,,\n');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, kind: 'sweep', design: 'grid', replications: 1, failed: 2 }));
    writeFileSync(join(dir, 'final.csv'), `${readFileSync(join(dir, 'final.csv'), 'utf8')}\n`);
    const html = readFileSync(await writeReport(dir, { charts: () => [] }), 'utf8');
    expect(html).toContain('<section id="design-points">');
    expect(html).toContain('<section id="sensitivity">');
    expect(html).toContain('<td>morris</td><td>params.r</td><td>share_C</td><td>mu_star</td><td class="num">0.8000</td><td class="num">–</td>');
    expect(html).toContain('<dd>grid design: 2 design points, 2 runs</dd>');
    expect(html).toContain('<dd>2 (left out of every table and chart; see failures.csv)</dd>');
    // one row per design point: parameter, runs, then each metric's mean ± CI (none for one run)
    expect(html).toContain('<tr><td>2</td><td class="num">1</td><td class="num">0.1000</td></tr>');
    expect(html).toMatch(/1 file differs from what the run wrote/);
    expect(html).toMatch(/<td>final\.csv<\/td><td>[0-9a-f]{64}<\/td><td>differs: now [0-9a-f]{64}<\/td>/);
    expect(html).toContain('No chart applies to these results.');
  });
});
