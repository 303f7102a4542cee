// Each lesson of the teaching demo says what will happen (src/demo/lessons.ts, its
// `claim`). Here every lesson is run by the engine, as the page's worker runs it, on
// its own seed and on the 20 seeds after it, and its claim is checked on each run.
// The thresholds in the claims were chosen with these 21 seeds in view (they are the
// lessons' tests, not pre-registered model claims); the claims are worded with
// margins, so a model change that alters what a class would see fails here.
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/engine/simulate.ts';
import { applyLesson, DEFAULT_LESSON, LESSONS, lessonById, lessonOf, type Lesson, type LessonRun } from '../../src/demo/lessons.ts';
import { DEFAULTS, fromHash, setup } from '../../src/demo/settings.ts';

const SEEDS = 21;

function runLesson(lesson: Lesson, seed: number, change: Partial<ReturnType<typeof applyLesson>> = {}): LessonRun {
  const s = { ...applyLesson(structuredClone(DEFAULTS), lesson.id), seed, ...change };
  const run = setup(s);
  const sim = createSimulation(run.model, run.params, run.protocol, run.seed);
  const frames = [{ round: 0, values: sim.measure() }];
  while (sim.round < lesson.rounds) {
    sim.step();
    frames.push({ round: sim.round, values: sim.measure() });
  }
  return { metrics: [...sim.metrics], frames };
}

describe('lessons', () => {
  it('the page opens on the first lesson: the default settings are its settings, so the title matches the default run', () => {
    expect(lessonOf(structuredClone(DEFAULTS))).toBe(DEFAULT_LESSON);
    expect(lessonOf(fromHash(''))).toBe(DEFAULT_LESSON);
    expect(DEFAULT_LESSON.seed).toBe(DEFAULTS.seed);
  });

  it('each lesson has a title, a question, its setup, a claim, things to notice and to try, and sources; ids are unique', () => {
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const l of LESSONS) {
      for (const text of [l.title, l.question, l.setup, l.claim]) expect(text.length, l.id).toBeGreaterThan(10);
      expect(l.notice.length, l.id).toBeGreaterThan(0);
      expect(l.tryThis.length, l.id).toBeGreaterThan(0);
      expect(l.sources.length, l.id).toBeGreaterThan(0);
      expect(lessonOf(applyLesson(structuredClone(DEFAULTS), l.id))).toBe(l);
    }
  });

  it('a changed setting leaves the lesson (its claim may no longer hold); another seed keeps it', () => {
    const treaty = applyLesson(structuredClone(DEFAULTS), 'treaty');
    expect(lessonOf({ ...treaty, seed: 99 })?.id).toBe('treaty');
    expect(lessonOf({ ...treaty, norms: 0.35 })).toBeUndefined();
  });

  for (const lesson of LESSONS) {
    it(`"${lesson.title}": the claim holds on seed ${lesson.seed} and the 20 seeds after it: ${lesson.claim}`, () => {
      const failures: string[] = [];
      for (let k = 0; k < SEEDS; k++) {
        const seed = lesson.seed + k;
        const problems = lesson.check(runLesson(lesson, seed));
        if (problems.length) failures.push(`seed ${seed}: ${problems.join('; ')}`);
      }
      expect(failures).toEqual([]);
    });
  }

  // Each check can fail: on a run where its claim is false it reports a problem.
  const counter: [string, string, Partial<ReturnType<typeof applyLesson>>][] = [
    ['betts', 'tragedy', {}],
    ['tragedy', 'betts', {}],
    ['treaty', 'betts', {}],
    ['clubs', 'betts', {}],
    ['nationalism', 'treaty', {}],
  ];
  for (const [claim, ran, change] of counter) {
    it(`the check of "${lessonById(claim)!.title}" rejects a run of "${lessonById(ran)!.title}"${Object.keys(change).length ? ` with ${JSON.stringify(change)}` : ''}`, () => {
      const lesson = lessonById(claim)!;
      const run = runLesson({ ...lessonById(ran)!, rounds: lesson.rounds }, lesson.seed, change);
      expect(lesson.check(run).length).toBeGreaterThan(0);
    });
  }

  it('the crisis lesson\'s claim is about the crisis: without it, its check rejects at least 15 of the 21 runs', () => {
    const crisis = lessonById('crisis')!;
    let rejected = 0;
    for (let k = 0; k < SEEDS; k++) if (crisis.check(runLesson(crisis, crisis.seed + k, { crisisStart: -1 })).length > 0) rejected++;
    expect(rejected).toBeGreaterThanOrEqual(15);
  });

  it('the nationalist turn\'s claim is about the turn: without it, its check rejects at least 15 of the 21 runs', () => {
    const turn = lessonById('nationalism')!;
    let rejected = 0;
    for (let k = 0; k < SEEDS; k++) if (turn.check(runLesson(turn, turn.seed + k, { nationalismStart: -1 })).length > 0) rejected++;
    expect(rejected).toBeGreaterThanOrEqual(15);
  });
});
