// The simulation worker: holds one running simulation and steps it on request, so
// that the page stays responsive. Built as a classic (iife) script and started from a
// Blob URL, so that it also runs from file://.
import type { AnyModel } from '../engine/model.ts';
import { createSimulation, type Simulation } from '../engine/simulate.ts';
import { runTask } from '../sweep/run-task.ts';
import type { Frame, FromWorker, ToWorker } from './protocol.ts';
import { setup } from './settings.ts';

interface WorkerScope {
  onmessage: ((e: { data: ToWorker }) => void) | null;
  postMessage(message: FromWorker): void;
}
const scope = globalThis as unknown as WorkerScope;

let sim: Simulation | null = null;
let simModel: AnyModel | null = null;

function frame(s: Simulation): Frame {
  return { round: s.round, values: s.measure() };
}

function choices(s: Simulation): number[] {
  return Array.from(s.state.pop.choice);
}

scope.onmessage = (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'reset') {
      const run = setup(msg.settings);
      const s = createSimulation(run.model, run.params, run.protocol, run.seed);
      const frames = [frame(s)];
      while (s.round < msg.to) {
        s.step();
        frames.push(frame(s));
      }
      sim = s;
      simModel = run.model;
      const layout = run.model.layout(run.params);
      const region = (s.state as unknown as { region?: Int32Array }).region;
      const role = (s.state as unknown as { mainRole?: Uint8Array }).mainRole;
      scope.postMessage({
        type: 'reset',
        metrics: [...s.metrics],
        games: [...layout.games],
        strategies: [...layout.strategies],
        region: region ? Array.from(region) : new Array<number>(s.state.pop.size).fill(0),
        role: role ? Array.from(role) : [],
        frames,
        choice: choices(s),
        ...(run.model.map ? { map: run.model.map(s.state) } : {}),
        title: run.model.title,
      });
    } else if (msg.type === 'phase') {
      const out = runTask(msg.task);
      if (!out.ok) throw new Error(out.error);
      scope.postMessage({ type: 'phase', id: msg.id, seed: out.seed, metrics: [...out.metrics], final: [...out.final] });
    } else if (msg.type === 'step' && sim) {
      const frames: Frame[] = [];
      for (let i = 0; i < msg.n; i++) {
        sim.step();
        frames.push(frame(sim));
      }
      scope.postMessage({ type: 'frames', frames, choice: choices(sim), ...(simModel?.map ? { map: simModel.map(sim.state) } : {}) });
    }
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err), ...(msg.type === 'phase' ? { id: msg.id } : {}) });
  }
};
