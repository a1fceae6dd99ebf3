import { fileURLToPath } from 'node:url';
import { renderCertificatePdf } from '../src/certificates/pdf.ts';
import { qrMatrix } from '../src/certificates/qr-drawing.ts';
import { type CertificateFields, loadCertificateTemplates } from '../src/certificates/templates.ts';
import { report, round } from './support.ts';

/**
 * Certificates rendered per second on one core (goal ≥ 200), with a QR of a realistic size. The
 * rate is counted on the process's CPU time, so a busy shared machine slows the wall clock but not
 * the figure; the wall-clock rate is printed beside it. Each run renders fresh values (a new
 * serial, IIN and QR text) so nothing per certificate can come from a cache.
 */
export async function benchCertificateRender(runs = 5, perRun = 200): Promise<void> {
  const templates = loadCertificateTemplates('kz');
  const template = templates.birth_certificate;

  const t0 = performance.now();
  const first = await renderCertificatePdf(template, sampleFields(0), { qrText: sampleQrText(0), preview: false });
  report('certificate_render.first_ms', round(performance.now() - t0, 0));
  report('certificate_render.pdf_kb', round(first.length / 1024, 1));
  report('certificate_render.qr_chars', sampleQrText(0).length);
  const matrix = qrMatrix(sampleQrText(0));
  report('certificate_render.qr_version', matrix.version);
  report('certificate_render.qr_module_mm', round(((template.qr.size / (matrix.size + 8)) * 25.4) / 72, 2));
  for (let i = 1; i <= 50; i++) await renderCertificatePdf(template, sampleFields(i), { qrText: sampleQrText(i), preview: false });

  const perCore: number[] = [];
  const wall: number[] = [];
  let n = 100;
  for (let run = 0; run < runs; run++) {
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < perRun; i++, n++) {
      await renderCertificatePdf(template, sampleFields(n), { qrText: sampleQrText(n), preview: false });
    }
    const cpu = process.cpuUsage(cpu0);
    perCore.push(perRun / ((cpu.user + cpu.system) / 1e6));
    wall.push(perRun / ((performance.now() - wall0) / 1000));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  report('certificate_render.per_core_per_s', round(median(perCore), 0));
  report('certificate_render.wall_per_s', round(median(wall), 0));

  const previews: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < perRun; i++, n++) await renderCertificatePdf(template, sampleFields(n), { qrText: null, preview: true });
    const cpu = process.cpuUsage(cpu0);
    previews.push(perRun / ((cpu.user + cpu.system) / 1e6));
  }
  report('certificate_render.preview_per_core_per_s', round(median(previews), 0));
}

/** A Kazakh family's certificate; `n` varies the serial, the IIN and a name. */
function sampleFields(n: number): CertificateFields {
  const serial = `KZ-2026-${String(n).padStart(7, '0')}`;
  return {
    'child.surname': n % 2 ? 'Әбдіғаппарова' : 'Нұрмұхамбетова',
    'child.givenName': 'Гүлнұр',
    'child.patronymic': 'Қайратқызы',
    'child.fullName': 'Әбдіғаппарова Гүлнұр Қайратқызы',
    'child.sex': { kk: 'қыз', ru: 'женский', en: 'female' },
    'child.dateOfBirth': { kk: 'екі мың жиырма алтыншы жылғы он екінші наурыз', ru: 'двенадцатое марта две тысячи двадцать шестого года' },
    'child.dateOfBirth.numeric': '12.03.2026',
    'child.placeOfBirth': {
      kk: 'Қазақстан Республикасы, Алматы облысы, Іле ауданы, Өтеген батыр кенті',
      ru: 'Республика Казахстан, Алматинская область, Илийский район, посёлок Отеген батыр',
    },
    'child.iin': `2603126${String(n % 100000).padStart(5, '0')}`,
    'mother.fullName': 'Әбдіғаппарова Айгүл Серікқызы',
    'mother.iin': '950101400456',
    'mother.citizenship': { kk: 'Қазақстан', ru: 'Казахстан' },
    'father.fullName': 'Әбдіғаппаров Қайрат Нұрланұлы',
    'father.iin': '930505300789',
    'father.citizenship': { kk: 'Өзбекстан', ru: 'Узбекистан' },
    'registration.number': `2026-${n}`,
    'registration.date': '14.03.2026',
    'registration.office': { kk: 'Іле ауданының АХАЖ бөлімі', ru: 'Отдел ЗАГС Илийского района' },
    'issue.date': '14.03.2026',
    'issue.office': { kk: 'Іле ауданының АХАЖ бөлімі', ru: 'Отдел ЗАГС Илийского района' },
    'registrar.name': 'Һ. Ұ. Үмбетова',
    'certificate.serial': serial,
  };
}

/** A verification link with a 600-character Base45 payload, the size the signed claims come to. */
function sampleQrText(n: number): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  let payload = 'KZ1:';
  let seed = n * 7919 + 1;
  for (let i = 0; i < 596; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    payload += alphabet[seed % alphabet.length];
  }
  return `https://tirkeu.kz/verify#${payload}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchCertificateRender();
