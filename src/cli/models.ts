// `migov models [name]`: the models, their strategies, parameters (defaults and ranges) and metrics.
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('models')
    .description('list the models with their strategies, parameters (defaults and allowed ranges) and metrics')
    .argument('[name]', 'show one model only')
    .action(async (name: string | undefined) => {
      // every model (and its zod schemas) is loaded only when the command runs
      (await import('./actions/models.ts')).modelsCommand(name);
    });
}
