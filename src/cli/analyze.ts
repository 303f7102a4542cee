// `migov analyze <spec>`: the analytic twin of a spec (docs/theory.md): prints the
// exact results and, with --out, writes them as a result folder.
import type { Command } from 'commander';
import type { AnalyzeOptions } from './actions/analyze.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('exact results beside the simulation: fixation probabilities, stationary distributions, gradient of selection, rest points, logit equilibria, stochastically stable states')
    .argument('<spec>', 'an experiment spec file (YAML or JSON); its optional analysis: section sets the mutation convention and the values of beta, Z and T')
    .option('--seed <seed>', "master seed, overriding the spec's (the migration levels draw their states with the runs' seeds)")
    .option('--set <path=value>', 'override a spec field, e.g. --set params.r=2.5 --set analysis.mutation=other (repeatable)', collect, [])
    .option('--out <dir>', 'also write a result folder: analysis.json, CSV tables and charts')
    .option('--beside <run folder>', 'a `migov run` folder of the same model and Z: its replications are compared with the exact value (z-score) and drawn beside the full chain')
    .option('--allow-large', 'for migration-flows, whose replications are run to their final state: run a spec above the default budget (README, "Budgets"); never one beyond what this machine can hold')
    .option('--force', 'if the --out folder exists and is not a migov result folder, move it aside (to <dir>.old-N; never deleted) instead of refusing')
    .addHelpText(
      'after',
      `
For a model with one game in a well-mixed population (linear-pgg, optional-pgg,
threshold-pgg, club-good, matrix-game): Fermi fixation probabilities in log space, the
small-mutation limit, and for two strategies the gradient of selection, the full
chain's stationary distribution and the stochastically stable states; the replicator,
mean-field and logit rest points with their stability. For migration-governance: the
levels of each issue area as a theory (equilibria, stochastic stability). For
migration-flows, which has no stage game (a level's payoff depends on the round's
flows, which depend on the history): each replication run to its final state, each
state's one-shot best response there, whether the final profile is a Nash
equilibrium of that one-shot game, and per issue area the shares of states whose
best response is U, C, M beside the final levels; the runs are checked against the
budget first, as by migov run.
The spec is validated first; a bad spec exits with code 2 and writes nothing.

Examples:
  migov analyze experiments/public-goods.yaml
  migov analyze experiments/public-goods.yaml --set analysis.mutation=other --out results/pgg-analysis`,
    )
    .action(async (file: string, opts: AnalyzeOptions) => {
      // the command's code (and with it the models, yaml, ...) is loaded only when it runs
      await (await import('./actions/analyze.ts')).analyzeCommand(file, opts);
    });
}
