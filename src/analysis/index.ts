// The analytic twin (docs/theory.md): exact results for the games migov simulates.
export { analyzeModel, notAnalysable, type Analysis, type AnalysisOptions, type FixationRow, type GradientRow, type DistributionRow } from './analyze.ts';
export {
  MUTATION_CONVENTIONS,
  type MutationConvention,
  type Mutation,
  type Rule,
  type Fixation,
  type GradientRoot,
  fermiFixation,
  fixationFromLogRatios,
  gradient,
  gradientRoots,
  stationaryDistribution,
  stochasticallyStable,
  switchShare,
  transitions,
} from './birth-death.ts';
export { type EdgePayoffs, type WellMixedGame, gameOfModel, gameOfPayoffs, expectedParams, notWellMixed } from './game.ts';
export { sharePayoffs, type SharePayoffs } from './infinite.ts';
export { logAddExp, logSumExp, log1pExp, logLogistic, normaliseLog } from './logspace.ts';
export {
  type Eigenvalue,
  type Field,
  type RestPoint,
  type Stability,
  classify,
  eigenvalues,
  fermiMeanField,
  interiorRestPoints,
  jacobian,
  logitChoice,
  logitEquilibria,
  logitField,
  meanFieldRestPoints,
  replicatorField,
  replicatorRestPoints,
  rootsOnInterval,
} from './replicator.ts';
export {
  type EmbeddedChain,
  type EmbeddedTransition,
  type MultiPopulationOptions,
  type PopulationGame,
  type PopulationSpec,
  multiPopulationLimit,
  smallMutationLimit,
  stationaryGth,
  tableGame,
} from './small-mutation.ts';
export { formatAnalysis, probabilityText } from './format.ts';
export { twinComparison, type TwinComparison } from './twin.ts';
