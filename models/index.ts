// The registry of models: adding a model is adding its file and one line here.
import type { AnyModel } from '../src/engine/model.ts';
import linearPgg from './linear-pgg.ts';
import migrationGovernance from './migration-governance.ts';
import migrationFlows from './migration-flows/index.ts';
import matrixGame from './matrix-game.ts';
import optionalPgg from './optional-pgg.ts';
import thresholdPgg from './threshold-pgg.ts';
import clubGood from './club-good.ts';

export const models: readonly AnyModel[] = [migrationGovernance, migrationFlows, linearPgg, optionalPgg, thresholdPgg, clubGood, matrixGame];

export function findModel(name: string): AnyModel | undefined {
  return models.find((m) => m.name === name);
}
