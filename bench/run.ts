import os from 'node:os';
import { benchAccess } from './access.ts';
import { benchBirths } from './births.ts';
import { benchCertificateVerify } from './certificate-verify.ts';
import { benchCertificateRender } from './certificate-render.ts';
import { benchLinkage } from './linkage.ts';
import { benchPlaces } from './places.ts';
import { benchProtection } from './protection.ts';
import { benchProtectionTracing } from './protection-tracing.ts';
import { benchRecords } from './records.ts';
import { benchWebPicker } from './web-picker.ts';
import { benchWebSize } from './web-size.ts';
import { benchWebTti } from './web-tti.ts';

/**
 * `npm run bench [name…]`: runs the benchmarks and prints one figure a line. Figures are noisy on a
 * shared 2-core machine; compare ratios and medians, and quote the machine with them.
 */
const benches: Record<string, () => Promise<void>> = {
  records: () => benchRecords(),
  places: () => benchPlaces(),
  access: () => benchAccess(),
  births: () => benchBirths(),
  'certificate-verify': () => benchCertificateVerify(),
  'certificate-render': () => benchCertificateRender(),
  linkage: () => benchLinkage(),
  protection: () => benchProtection(),
  'protection-tracing': () => benchProtectionTracing(),
  'web-size': () => benchWebSize(),
  'web-tti': () => benchWebTti(),
  'web-picker': () => benchWebPicker(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length) {
  process.stderr.write(
    `unknown benchmark: ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}\n`,
  );
  process.exit(2);
}
process.stdout.write(
  `# machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}\n`,
);
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  process.stdout.write(`# ${name}\n`);
  await benches[name]!();
}
