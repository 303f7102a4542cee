// The analysis as `migov analyze` prints it: plain text, a few short tables.
import type { Analysis } from './analyze.ts';
import type { RestPoint } from './replicator.ts';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A probability as a number when it is one, else as 10^x (below the smallest double). */
export function probabilityText(p: number, log10: number): string {
  if (p >= 1e-4) return p.toPrecision(4);
  if (p > 0) return p.toExponential(3);
  return `10^${log10.toFixed(2)}`;
}

/** toFixed without a minus sign on a value that rounds to zero. */
function fixed(x: number, digits: number): string {
  const t = x.toFixed(digits);
  return Number(t) === 0 ? (0).toFixed(digits) : t;
}

function shares(x: readonly number[], names: readonly string[]): string {
  return x.map((v, i) => `${names[i]} ${v.toFixed(4)}`).join(', ');
}

function restLines(points: readonly RestPoint[], names: readonly string[]): string[] {
  return points.map((r) => `    ${shares(r.x, names)}: ${r.stability}`);
}

export function formatAnalysis(a: Analysis, name: string): string {
  const p = a.protocol;
  const rule = p.rule === 'fermi' ? `fermi (beta ${p.selectionIntensity})` : p.rule === 'logit' ? `logit (T ${p.temperature})` : p.rule;
  const out: string[] = [
    `${name}: ${a.title}, Z ${a.Z}, strategies ${a.strategies.join(', ')}`,
    `protocol ${rule}, mutation ${p.mutation}; mutation convention '${a.mutationConvention}' (${a.mutationConvention === 'any' ? 'a mutant draws any strategy, its own included' : 'a mutant always draws another strategy'})`,
    '',
    `Fixation of one mutant (Fermi process, beta ${a.beta}; neutral 1/Z = ${(1 / a.Z).toPrecision(4)})`,
    table(
      ['mutant', 'into all', 'rho', 'log10 rho', 'rho x Z'],
      a.fixation.map((f) => [f.mutant, f.resident, probabilityText(f.rho, f.log10), fixed(f.log10, 4), f.rho > 0 ? (f.rho * f.Z).toPrecision(4) : `10^${(f.log10 + Math.log10(f.Z)).toFixed(2)}`]),
    ),
    '',
    'Small-mutation limit: stationary distribution over the monomorphic states',
    table(['state', 'probability', 'log10'], a.smallMutation.states.map((s, i) => [`all ${s}`, probabilityText(a.smallMutation.stationary[i], a.smallMutation.stationaryLog10[i]), fixed(a.smallMutation.stationaryLog10[i], 3)])),
  ];
  if (a.gradientRoots) {
    out.push('', `Gradient of selection (no mutation): ${a.gradientRoots.length ? a.gradientRoots.map((r) => `${r.kind} root at share of ${a.strategies[0]} ${r.x.toFixed(4)}`).join('; ') : `no interior root (it keeps one sign)`}`);
  }
  if (a.fullChain) {
    const d = a.fullChain.distribution;
    let mode = 0;
    for (let k = 1; k < d.length; k++) if (d[k].probability > d[mode].probability) mode = k;
    out.push(
      '',
      `Full chain (${a.fullChain.rule}, mutation ${a.fullChain.mutation}): mean share of ${a.strategies[0]} ${a.fullChain.mean.toFixed(4)}, mode at ${mode} of ${a.Z} (probability ${d[mode].probability.toPrecision(4)}), all ${a.strategies[0]} ${probabilityText(d[a.Z].probability, d[a.Z].log10)}, all ${a.strategies[1]} ${probabilityText(d[0].probability, d[0].log10)}`,
    );
  }
  if (a.stochasticallyStable) {
    const words = (ks: readonly number[]) => ks.map((k) => (k === 0 ? `all ${a.strategies[1]}` : k === a.Z ? `all ${a.strategies[0]}` : `${k} ${a.strategies[0]} of ${a.Z}`)).join(', ');
    out.push('', `Stochastically stable: logit (T -> 0) ${words(a.stochasticallyStable.logit)}; best response with mutation -> 0 (KMR) ${words(a.stochasticallyStable.kmr)}`);
  }
  if (a.replicator) out.push('', 'Replicator dynamics: rest points', ...restLines(a.replicator, a.strategies));
  if (a.meanField && p.mutation > 0) out.push('', `Mean field of the Fermi process with mutation ${p.mutation}: rest points`, ...restLines(a.meanField, a.strategies));
  if (a.logitEquilibria?.length) out.push('', 'Logit equilibria (rest points of the logit dynamic; stable ones are where it settles)');
  for (const l of a.logitEquilibria ?? []) out.push(`  at T ${l.temperature}:`, ...restLines(l.points, a.strategies));
  if (a.notes.length) out.push('', 'Notes:', ...a.notes.map((n) => `  - ${n}`));
  return out.join('\n');
}
