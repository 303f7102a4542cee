// Small schema helpers that model files share.
import { z } from 'zod';

/**
 * Initial shares of a game's strategies: one number in [0, 1] per strategy, summing
 * to 1. The population gets the exact counts they imply (largest remainder), so a
 * share of 1/Z gives exactly one agent.
 */
export function shareSchema<const K extends readonly [string, ...string[]]>(strategies: K) {
  const shape = Object.fromEntries(strategies.map((s) => [s, z.number().min(0).max(1)])) as {
    [k in K[number]]: z.ZodNumber;
  };
  return z
    .object(shape)
    .strict()
    .refine((o) => Math.abs(Object.values(o as Record<string, number>).reduce((a, b) => a + b, 0) - 1) < 1e-9, {
      message: `shares of ${strategies.join(', ')} must sum to 1`,
    });
}
