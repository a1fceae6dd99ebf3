import type { Command } from 'commander';
import { checkIin, parseIinRules } from '../../births/iin.ts';
import { loadConfig } from '../../core/config.ts';
import { loadPack } from '../../places/pack.ts';

export function registerBirths(program: Command): void {
  const iin = program.command('iin').description('individual identification numbers (IIN)');
  iin
    .command('check')
    .description('say for each number whether it is a valid IIN and why not; warn where date or sex look wrong; exit 1 if any is invalid')
    .argument('<numbers...>', 'one or more 12-digit numbers')
    .option('--json', 'print one JSON object a line')
    .action((numbers: string[], o: { json?: boolean }) => {
      const rules = parseIinRules(loadPack(loadConfig().pack).settings.identityNumber);
      let invalid = 0;
      for (const number of numbers) {
        const result = checkIin(number.trim(), rules);
        if (!result.valid) invalid++;
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ number, ...result })}\n`);
          continue;
        }
        const says = result.dateOfBirth || result.sex ? ` (digits say: ${[result.dateOfBirth, result.sex].filter(Boolean).join(', ')})` : '';
        process.stdout.write(`${number}: ${result.valid ? 'valid' : 'INVALID'}${says}\n`);
        for (const p of result.problems) process.stdout.write(`  error: ${p.message}\n`);
        for (const w of result.warnings) process.stdout.write(`  warning: ${w.message}\n`);
      }
      if (invalid) process.exitCode = 1;
    });
}
