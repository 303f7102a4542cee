// The registry of models: adding a model is adding its file and one line here.
import type { AnyModel } from '../src/engine/model.ts';
import linearPgg from './linear-pgg.ts';

export const models: readonly AnyModel[] = [linearPgg];

export function findModel(name: string): AnyModel | undefined {
  return models.find((m) => m.name === name);
}
