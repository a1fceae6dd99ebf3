import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import fc from 'fast-check';
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { dateInWords } from '../../src/certificates/date-words.ts';
import { prepareCertificateRendering, renderCertificatePdf } from '../../src/certificates/pdf.ts';
import { qrMatrix, qrSegments } from '../../src/certificates/qr-drawing.ts';
import {
  type CertificateFields,
  certificateKinds,
  fillJoined,
  fillValue,
  loadCertificateTemplates,
  parseCertificateTemplate,
  placeholderNames,
  placeholdersOf,
} from '../../src/certificates/templates.ts';
import { fitText } from '../../src/certificates/text-fit.ts';
import { configDir } from '../../src/places/pack.ts';
import { pdfText, rasterisePdf, readQrFromPdf } from './support/pdf-qr.ts';

const templates = loadCertificateTemplates('kz');
const kazakhLetters = 'ӘҒҚҢӨҰҮҺІәғқңөұүһі';
const base45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** A family whose names between them hold every Kazakh letter, upper and lower case. */
const fields: CertificateFields = {
  'child.surname': 'Әбдіғаппарова',
  'child.givenName': 'Гүлнұр',
  'child.patronymic': 'Қайратқызы',
  'child.fullName': 'Әбдіғаппарова Гүлнұр Қайратқызы',
  'child.sex': { kk: 'қыз', ru: 'женский', en: 'female' },
  'child.dateOfBirth': { kk: 'екі мың жиырма алтыншы жылғы он екінші наурыз', ru: 'двенадцатое марта две тысячи двадцать шестого года' },
  'child.dateOfBirth.numeric': '12.03.2026',
  'child.placeOfBirth': { kk: 'Алматы облысы, Іле ауданы, Өтеген батыр кенті', ru: 'Алматинская область, Илийский район, посёлок Отеген батыр' },
  'child.iin': '260312600123',
  'mother.fullName': 'Әбдіғаппарова Айгүл Серікқызы',
  'mother.iin': '950101400456',
  'mother.citizenship': { kk: 'Қазақстан', ru: 'Казахстан' },
  'father.fullName': 'Һадиев Ұлан Ғалымжанұлы Ңөү',
  'father.iin': '930505300789',
  'father.citizenship': { kk: 'Өзбекстан', ru: 'Узбекистан' },
  'registration.number': '2026-0471',
  'registration.date': '14.03.2026',
  'registration.office': { kk: 'Іле ауданының АХАЖ бөлімі', ru: 'Отдел ЗАГС Илийского района' },
  'issue.date': '14.03.2026',
  'issue.office': { kk: 'Іле ауданының АХАЖ бөлімі', ru: 'Отдел ЗАГС Илийского района' },
  'registrar.name': 'Һ. Ұ. Үмбетова',
  'certificate.serial': 'KZ-2026-0000123',
};

function randomPayload(length: number, seed: number): string {
  let text = 'KZ1:';
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    text += base45[s % base45.length];
  }
  return text;
}

/** The embedded font files of a PDF (FontFile2 streams), uncompressed. */
async function embeddedFonts(pdf: Uint8Array): Promise<{ name: string; bytes: Uint8Array }[]> {
  const doc = await PDFDocument.load(pdf);
  const fonts: { name: string; bytes: Uint8Array }[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
    const stream = doc.context.lookup(object.get(PDFName.of('FontFile2')));
    if (!(stream instanceof PDFRawStream)) throw new Error('a font descriptor without a FontFile2 stream');
    fonts.push({ name: String(object.get(PDFName.of('FontName'))), bytes: decodePDFRawStream(stream).decode() });
  }
  return fonts;
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the kz pack's certificates folder under a new pack, with `edit` applied to one file. */
function packWith(file: string, edit: (text: string) => string): { dir: string; pack: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-certificates-'));
  scratch.push(dir);
  const folder = path.join(dir, 'xx', 'certificates');
  fs.mkdirSync(folder, { recursive: true });
  for (const name of fs.readdirSync(path.join(configDir, 'kz', 'certificates'))) {
    const text = fs.readFileSync(path.join(configDir, 'kz', 'certificates', name), 'utf8');
    fs.writeFileSync(path.join(folder, name), name === file ? edit(text) : text);
  }
  return { dir, pack: 'xx' };
}

describe('certificate PDF', () => {
  it('embeds fonts that hold every Kazakh letter, and the page reads back as the names given', async () => {
    const pdf = await renderCertificatePdf(templates.birth_certificate, fields, { qrText: null, preview: false });
    const fonts = await embeddedFonts(pdf);
    expect(fonts.map((f) => f.name).sort()).toEqual([expect.stringMatching(/^\/[A-Z]{6}\+DejaVuSans$/), expect.stringMatching(/^\/[A-Z]{6}\+DejaVuSans-Bold$/)]);
    for (const font of fonts) {
      const parsed = fontkit.create(font.bytes);
      for (const letter of kazakhLetters) expect(parsed.hasGlyphForCodePoint(letter.codePointAt(0)!), `${font.name} ${letter}`).toBe(true);
      // Subset to the pack's alphabet, not the whole of DejaVu (≈ 6,000 glyphs).
      expect(parsed.numGlyphs).toBeLessThan(700);
    }
    // What a reader extracts is the text given: glyphs and ToUnicode map agree, letter for letter.
    const text = await pdfText(pdf);
    for (const name of ['Әбдіғаппарова', 'Гүлнұр', 'Қайратқызы', 'Һадиев Ұлан Ғалымжанұлы Ңөү', 'Һ. Ұ. Үмбетова', 'ТУУ ТУРАЛЫ КУӘЛІК', 'СВИДЕТЕЛЬСТВО О РОЖДЕНИИ']) {
      expect(text).toContain(name);
    }
    expect(text).toContain('Өзбекстан / Узбекистан · 930505300789');
    expect(pdf.length).toBeLessThan(120 * 1024);
  });

  it('prints a QR code that reads back, from the rasterised page, as the text given', async () => {
    const qrText = `https://tirkeu.kz/verify#${randomPayload(596, 7)}`;
    const pdf = await renderCertificatePdf(templates.birth_certificate, fields, { qrText, preview: false });
    expect(await readQrFromPdf(pdf)).toBe(qrText);
    // A bare payload too, on a certified copy.
    const bare = randomPayload(300, 11);
    const copy = await renderCertificatePdf(templates.certified_copy, fields, { qrText: bare, preview: false });
    expect(await readQrFromPdf(copy)).toBe(bare);
  });

  it('puts a URL#payload in a byte and an alphanumeric segment, and picks the mask qrcode would', () => {
    expect(qrSegments('https://tirkeu.kz/verify#KZ1:AB C').map((s) => s.mode)).toEqual(['byte', 'alphanumeric']);
    expect(qrSegments('KZ1:AB C').map((s) => s.mode)).toEqual(['alphanumeric']);
    expect(qrSegments('https://tirkeu.kz/verify#kz1:lower').map((s) => s.mode)).toEqual(['byte']);
    const text = fc
      .tuple(fc.string({ unit: fc.constantFrom(...base45), minLength: 1, maxLength: 700 }), fc.boolean())
      .map(([payload, url]) => (url ? `https://tirkeu.kz/verify#KZ1:${payload}` : `KZ1:${payload}`));
    fc.assert(
      fc.property(text, (t) => {
        const ours = qrMatrix(t);
        const theirs = QRCode.create(qrSegments(t), { errorCorrectionLevel: 'M' });
        expect(ours.version).toBe(theirs.version);
        expect(Buffer.from(ours.modules).equals(Buffer.from(theirs.modules.data))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('draws a preview with the watermark and no QR code', async () => {
    const preview = await renderCertificatePdf(templates.birth_certificate, fields, { qrText: 'KZ1:SHOULD NOT APPEAR', preview: true });
    const final = await renderCertificatePdf(templates.birth_certificate, fields, { qrText: null, preview: false });
    // The watermark runs diagonally (text extractors skip diagonal text), so look at the pages:
    // paper that is white on the certificate is tinted across the preview.
    const [a, b] = await Promise.all([rasterisePdf(preview, 40), rasterisePdf(final, 40)]);
    let tinted = 0;
    for (let i = 0; i < a.pixels.length; i++) if (b.pixels[i] === 255 && a.pixels[i]! < 240) tinted++;
    expect(tinted).toBeGreaterThan(1500);
    await expect(readQrFromPdf(preview)).rejects.toThrow(/no readable QR code/);
  });

  it('marks the copy and the extract, and the extract holds only its facts', async () => {
    const copy = await pdfText(await renderCertificatePdf(templates.certified_copy, fields, { qrText: null, preview: false }));
    expect(copy).toMatch(/КӨШІРМЕ/);
    expect(copy).toMatch(/КОПИЯ/);
    expect(copy).toContain('Көшірменің дұрыстығын куәландырамын / Верность копии удостоверяю');
    const extract = await pdfText(await renderCertificatePdf(templates.extract, fields, { qrText: null, preview: false }));
    expect(extract).toMatch(/ҮЗІНДІ/);
    expect(extract).toMatch(/ВЫПИСКА/);
    expect(extract).toContain('Әбдіғаппарова Гүлнұр Қайратқызы');
    expect(extract).toContain('260312600123');
    expect(extract).not.toContain('Һадиев');
  });

  it('prints a dash for a missing value, and a name beyond the alphabet that DejaVu has', async () => {
    const { 'father.fullName': _, 'father.iin': __, 'father.citizenship': ___, ...noFather } = fields;
    const text = await pdfText(await renderCertificatePdf(templates.birth_certificate, { ...noFather, 'mother.fullName': 'Ωμέγα Ἀλφα' }, { qrText: null, preview: false }));
    expect(text).toMatch(/Әкесі\s*\n\s*Отец\s*\n\s*—\s*\n/);
    expect(text).toContain('Ωμέγα Ἀλφα');
  });

  it('refuses a value DejaVu cannot draw, naming the field', async () => {
    const render = renderCertificatePdf(templates.birth_certificate, { ...fields, 'father.fullName': '李 Ұлан' }, { qrText: null, preview: false });
    await expect(render).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'father.fullName' } });
    await expect(render).rejects.toThrow(/U\+674E/);
    // Arabic: DejaVu has glyphs, but nothing here joins letters or writes right to left.
    await expect(renderCertificatePdf(templates.extract, { ...fields, 'child.fullName': 'علي' }, { qrText: null, preview: false })).rejects.toMatchObject({
      details: { field: 'child.fullName' },
    });
  });

  it('can do its once-per-process work ahead of the first certificate', async () => {
    for (const kind of certificateKinds) await prepareCertificateRendering(templates[kind]);
    const pdf = await renderCertificatePdf(templates.extract, fields, { qrText: null, preview: false });
    expect(await pdfText(pdf)).toContain('ТУУ ТУРАЛЫ АКТ ЖАЗБАСЫНАН ҮЗІНДІ');
  });

  it('writes the title, language and producer into the PDF', async () => {
    const created = new Date('2026-03-14T09:30:00Z');
    const pdf = await renderCertificatePdf(templates.birth_certificate, fields, { qrText: null, preview: false, createdAt: created });
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getTitle()).toBe('ТУУ ТУРАЛЫ КУӘЛІК / СВИДЕТЕЛЬСТВО О РОЖДЕНИИ');
    expect(doc.getSubject()).toBe('Birth certificate');
    expect(doc.getProducer()).toBe('tirkeu');
    expect(doc.getCreationDate()?.toISOString()).toBe(created.toISOString());
    expect(doc.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('kk');
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    // The same certificate rendered again at the same time is the same file.
    const again = await renderCertificatePdf(templates.birth_certificate, fields, { qrText: null, preview: false, createdAt: created });
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true);
  });
});

describe('fitting a value in its box', () => {
  const measure = (text: string, size: number) => Array.from(text).length * size * 0.6;
  const box = { width: 200, size: 10.5, lineHeight: 13.5 };

  it('keeps a short value as it is', () => {
    expect(fitText('Гүлнұр', box, measure)).toEqual({ size: 10.5, lines: [{ text: 'Гүлнұр', dy: 0 }] });
  });

  it('never overflows its box, never loses a letter, and wraps only what one line cannot hold readably', () => {
    const word = fc.string({ unit: fc.constantFrom(...'ӘҒҚаәбвгдеABC-'), minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), fc.integer({ min: 60, max: 400 }), (words, width) => {
        const text = words.join(' ');
        const fitted = fitText(text, { ...box, width }, measure);
        for (const line of fitted.lines) expect(measure(line.text, fitted.size)).toBeLessThanOrEqual(width + 1e-6);
        expect(fitted.lines.map((l) => l.text).join(' ').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
        expect(fitted.size).toBeLessThanOrEqual(box.size);
        if (fitted.lines.length === 2) {
          // Two lines stay within the line's height: between this line's rule and the one above.
          expect(fitted.lines[0]!.dy + fitted.size * 0.76).toBeLessThanOrEqual(box.lineHeight - 3.5 + 1e-6);
          expect(fitted.lines[1]!.dy - fitted.size * 0.24).toBeGreaterThanOrEqual(-3.5 - 1e-6);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('certificate templates', () => {
  it('loads every template of the kz pack, in Kazakh and Russian', () => {
    expect(Object.keys(templates).sort()).toEqual([...certificateKinds].sort());
    for (const kind of certificateKinds) {
      const template = templates[kind];
      expect(template.kind).toBe(kind);
      expect(template.languages).toEqual(['kk', 'ru']);
      expect(template.source).toBe(`config/kz/certificates/${kind}.json`);
    }
    for (const letter of kazakhLetters) expect(templates.birth_certificate.characters).toContain(letter);
  });

  it('shows what a real Kazakhstan birth certificate shows', () => {
    const used = new Set([...JSON.stringify(templates.birth_certificate).matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]));
    for (const name of ['child.surname', 'child.givenName', 'child.patronymic', 'child.dateOfBirth', 'child.dateOfBirth.numeric', 'child.placeOfBirth', 'child.iin', 'mother.fullName', 'mother.citizenship', 'father.fullName', 'father.citizenship', 'registration.number', 'registration.date', 'registration.office', 'issue.date', 'registrar.name', 'certificate.serial']) {
      expect(used, name).toContain(name);
    }
    expect(templates.certified_copy.marking).toMatchObject({ kk: 'КӨШІРМЕ', ru: 'КОПИЯ' });
    expect(templates.extract.marking).toMatchObject({ kk: 'ҮЗІНДІ', ru: 'ВЫПИСКА' });
  });

  it('refuses a template with an unknown placeholder, naming it and where it is', () => {
    const { dir, pack } = packWith('birth_certificate.json', (t) => t.replace('{{child.givenName}}', '{{child.eyeColour}}'));
    expect(() => loadCertificateTemplates(pack, dir)).toThrow(/birth_certificate\.json: sections\[0\]\.rows\[1\]\.value uses an unknown placeholder \{\{child\.eyeColour\}\}/);
  });

  it('refuses other mistakes with the file and the field', () => {
    const source = fs.readFileSync(path.join(configDir, 'kz', 'certificates', 'extract.json'), 'utf8');
    const attempt = (edit: (json: Record<string, unknown>) => void) => () => {
      const json = JSON.parse(source) as Record<string, unknown>;
      edit(json);
      parseCertificateTemplate(JSON.stringify(json), 'extract.json', 'extract', templates.extract.characters);
    };
    expect(attempt((j) => delete (j.title as Record<string, string>).ru)).toThrow(/extract\.json: title\.ru is missing/);
    expect(attempt((j) => (j.paper = 'A5'))).toThrow(/extract\.json: paper/);
    expect(attempt((j) => (j.colour = 'red'))).toThrow(/extract\.json has an unknown field colour/);
    expect(attempt((j) => (j.kind = 'birth_certificate'))).toThrow(/kind is "birth_certificate" but the file is the extract template/);
    expect(attempt((j) => (j.number = '№ {{certificate.serial}'))).toThrow(/number has an unclosed \{\{/);
    expect(attempt((j) => ((j.title as Record<string, string>).kk = 'ҮЗІНДІ ✓'))).toThrow(/title\.kk holds "✓" \(U\+2713\)/);
    expect(attempt((j) => (j.qr = { x: 500, y: 52, size: 122, caption: { kk: 'Тексеру', ru: 'Проверка' } }))).toThrow(/extract\.json: qr must lie inside the frame/);
    const crowded = () => {
      const json = JSON.parse(fs.readFileSync(path.join(configDir, 'kz', 'certificates', 'birth_certificate.json'), 'utf8')) as { sections: { rows: unknown[] }[] };
      json.sections[0]!.rows.push(...json.sections[0]!.rows);
      parseCertificateTemplate(JSON.stringify(json), 'birth_certificate.json', 'birth_certificate', templates.extract.characters);
    };
    expect(crowded).toThrow(/birth_certificate\.json: sections do not fit on one A4 page/);
    expect(() => parseCertificateTemplate('{', 'extract.json', 'extract', '')).toThrow(/extract\.json is not valid JSON/);
  });

  it('refuses a pack without certificate templates, saying what to add', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-certificates-'));
    scratch.push(dir);
    fs.mkdirSync(path.join(dir, 'yy'));
    expect(() => loadCertificateTemplates('yy', dir)).toThrow(/country pack yy has no certificate templates \(config\/yy\/certificates\/ is missing\)/);
    const { dir: partial, pack } = packWith('extract.json', (t) => t);
    fs.rmSync(path.join(partial, pack, 'certificates', 'extract.json'));
    expect(() => loadCertificateTemplates(pack, partial)).toThrow(/config\/xx\/certificates\/extract\.json is missing/);
  });

  it('fills values: a dash for what is missing, each language once when joined', () => {
    const languages = ['kk', 'ru'];
    expect(fillValue('{{child.surname}}', fields, 'kk', languages)).toBe('Әбдіғаппарова');
    expect(fillValue('{{child.sex}}', fields, 'ru', languages)).toBe('женский');
    expect(fillValue('№ {{registration.number}} · {{father.iin}}', {}, 'kk', languages)).toBe('—');
    expect(fillValue('№ {{registration.number}} · {{father.iin}}', { 'registration.number': '7' }, 'kk', languages)).toBe('№ 7 · —');
    expect(fillValue('{{child.placeOfBirth}}', { 'child.placeOfBirth': { ru: 'Алматы' } }, 'kk', languages)).toBe('Алматы');
    expect(fillValue('{{child.surname}}', { 'child.surname': '  Ким \n Ли ' }, 'kk', languages)).toBe('Ким Ли');
    // "й" typed as и + a combining breve prints as the one letter й.
    expect(fillValue('{{child.givenName}}', { 'child.givenName': 'Серикбаи\u0306' }, 'kk', languages)).toBe('Серикба\u0439');
    expect(fillJoined('{{father.citizenship}} · {{father.iin}}', fields, languages)).toBe('Өзбекстан / Узбекистан · 930505300789');
    expect(fillJoined('{{mother.citizenship}}', { 'mother.citizenship': 'KZ' }, languages)).toBe('KZ');
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(placeholderNames)), fc.constantFrom('', '   ', undefined), (name, value) => {
        const given: CertificateFields = value === undefined ? {} : { [name]: value };
        expect(fillValue(`{{${name}}}`, given, 'kk', languages)).toBe('—');
      }),
    );
    expect(placeholdersOf({ kk: '{{a}} {{ b }}', ru: '{{c}}' })).toEqual(['a', 'b', 'c']);
  });
});

describe('a date of birth in words', () => {
  it('writes it as a certificate does, in Kazakh and Russian', () => {
    expect(dateInWords('2026-03-12')).toEqual({
      kk: 'екі мың жиырма алтыншы жылғы он екінші наурыз',
      ru: 'двенадцатое марта две тысячи двадцать шестого года',
      en: '12 March 2026',
    });
    expect(dateInWords('2000-01-01')).toMatchObject({ kk: 'екі мыңыншы жылғы бірінші қаңтар', ru: 'первое января двухтысячного года' });
    expect(dateInWords('1999-12-31')).toMatchObject({ kk: 'мың тоғыз жүз тоқсан тоғызыншы жылғы отыз бірінші желтоқсан', ru: 'тридцать первое декабря тысяча девятьсот девяносто девятого года' });
    expect(dateInWords('2010-02-20')).toMatchObject({ kk: 'екі мың оныншы жылғы жиырмасыншы ақпан', ru: 'двадцатое февраля две тысячи десятого года' });
    expect(dateInWords('2043-09-03')).toMatchObject({ kk: 'екі мың қырық үшінші жылғы үшінші қыркүйек', ru: 'третье сентября две тысячи сорок третьего года' });
    expect(dateInWords('1940-05-09')).toMatchObject({ kk: 'мың тоғыз жүз қырқыншы жылғы тоғызыншы мамыр', ru: 'девятое мая тысяча девятьсот сорокового года' });
    expect(dateInWords('1900-06-30').ru).toBe('тридцатое июня тысяча девятисотого года');
    for (const bad of ['2026-02-30', '1899-12-31', '2100-01-01', '12.03.2026']) expect(() => dateInWords(bad)).toThrow(RangeError);
  });

  it('has words for every date from 1900 to 2099, all printable', () => {
    const printable = new Set(templates.birth_certificate.characters);
    const day = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2099, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, (date) => {
        const words = dateInWords(date);
        expect(words.kk).toMatch(/^(мың тоғыз жүз|екі мың)[а-яәғқңөұүһі ]* жылғы [а-яәғқңөұүһі ]+$/);
        expect(words.ru).toMatch(/^[а-яё ]+ года$/);
        expect(words.kk.split(' ').every(Boolean) && words.ru.split(' ').every(Boolean)).toBe(true);
        for (const ch of words.kk + words.ru) expect(printable.has(ch), ch).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
