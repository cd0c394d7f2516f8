/** `dplan`: the command line of Delivery Plan for Teams. */
import { Command } from 'commander';
import { registerDigest } from './commands/digest';
import { registerDoctor } from './commands/doctor';
import { registerExport } from './commands/exportCmd';
import { registerImport } from './commands/importCmd';
import { registerPrompts } from './commands/prompts';
import { registerProvision } from './commands/provision';
import { registerSchedule } from './commands/schedule';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dplan')
    .description('Delivery Plan for Teams: import, export and run a delivery plan')
    .showHelpAfterError()
    .exitOverride((err) => {
      // Usage errors (unknown option, missing argument) are bad input: exit 2 like other input errors.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  registerImport(program);
  registerExport(program);
  registerProvision(program);
  registerPrompts(program);
  registerDigest(program);
  registerDoctor(program);
  registerSchedule(program);
  return program;
}

export function run(argv: string[] = process.argv): Promise<void> {
  return buildProgram()
    .parseAsync(argv)
    .then(() => undefined)
    .catch((err: unknown) => {
      process.stderr.write(`dplan: ${(err as Error).message}\n`);
      process.exitCode = 1;
    });
}

if (require.main === module) void run();
