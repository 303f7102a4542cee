// Messages between the page and the simulation worker.
import type { AgentMap } from '../engine/model.ts';
import type { RunTask } from '../sweep/plan.ts';
import type { Settings } from './settings.ts';

export type ToWorker =
  /** Builds a fresh simulation and runs it silently to round `to` (a replay: used by the crisis button). */
  | { type: 'reset'; settings: Settings; to: number }
  | { type: 'step'; n: number }
  /** One planned run of the phase-diagram sweep (src/sweep/plan.ts), run as `migov sweep` runs it; answers its final values. */
  | { type: 'phase'; id: number; task: RunTask };

export interface Frame {
  round: number;
  values: number[];
}

export type FromWorker =
  | {
      type: 'reset';
      metrics: string[];
      games: string[];
      strategies: string[];
      region: number[];
      /** each state's main role: 0 origin, 1 transit, 2 destination (empty for the textbook games) */
      role: number[];
      frames: Frame[];
      choice: number[];
      /** the model's map (positions, larger flows) after the last frame, for a model that draws one */
      map?: AgentMap;
      /** the model's title in plain words */
      title: string;
    }
  | { type: 'frames'; frames: Frame[]; choice: number[]; map?: AgentMap }
  | { type: 'phase'; id: number; seed: string; metrics: string[]; final: number[] }
  | { type: 'error'; message: string; id?: number };
