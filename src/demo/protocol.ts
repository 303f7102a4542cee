// Messages between the page and the simulation worker.
import type { Settings } from './settings.ts';

export type ToWorker =
  /** Builds a fresh simulation and runs it silently to round `to` (a replay: used by the crisis button). */
  | { type: 'reset'; settings: Settings; to: number }
  | { type: 'step'; n: number };

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
      frames: Frame[];
      choice: number[];
    }
  | { type: 'frames'; frames: Frame[]; choice: number[] }
  | { type: 'error'; message: string };
