import fs from 'node:fs';
import path from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../core/errors.ts';
import { configDir } from '../places/pack.ts';
import { checkLayout } from './layout.ts';

/**
 * Certificate templates: one JSON file per kind in the country pack (config/<pack>/certificates/),
 * checked when loaded so that a wrong template fails at start-up, naming its file and field, and
 * never in front of a registrar with a family waiting. A template says what a certificate holds
 * (titles, labelled rows, footer, QR place) in the pack's languages; the page geometry is the
 * renderer's (layout.ts), so every template looks like one family of documents.
 */

export const certificateKinds = ['birth_certificate', 'certified_copy', 'extract'] as const;
export type CertificateKind = (typeof certificateKinds)[number];

/**
 * The values a certificate prints, by placeholder name. A plain string prints as is in every
 * language; a per-language value prints the language of the line it is on.
 */
export type CertificateFields = Record<string, string | { kk?: string; ru?: string; en?: string }>;

/**
 * Every placeholder a template may use. `perLanguage` names are usually given per language (a date
 * in words, a place name, a country): a row showing one prints a line per language unless the
 * template joins them on one line. Any name may still come either way.
 */
export const placeholderNames = {
  'child.surname': 'plain',
  'child.givenName': 'plain',
  'child.patronymic': 'plain',
  'child.fullName': 'plain',
  'child.sex': 'perLanguage',
  /** formatted per language, in words where the language writes dates so on certificates */
  'child.dateOfBirth': 'perLanguage',
  /** DD.MM.YYYY */
  'child.dateOfBirth.numeric': 'plain',
  'child.placeOfBirth': 'perLanguage',
  'child.placeOfBirth.kato': 'plain',
  'child.iin': 'plain',
  'child.citizenship': 'perLanguage',
  'mother.fullName': 'plain',
  'mother.iin': 'plain',
  'mother.citizenship': 'perLanguage',
  'father.fullName': 'plain',
  'father.iin': 'plain',
  'father.citizenship': 'perLanguage',
  /** the act record number */
  'registration.number': 'plain',
  'registration.date': 'plain',
  'registration.office': 'perLanguage',
  'issue.date': 'plain',
  'issue.office': 'perLanguage',
  'registrar.name': 'plain',
  /** the serial and number of the printed form */
  'certificate.serial': 'plain',
  'certificate.kind': 'perLanguage',
} as const satisfies Record<string, 'plain' | 'perLanguage'>;

export type PlaceholderName = keyof typeof placeholderNames;

const languageCode = Type.String({ pattern: '^[a-z]{2,3}$' });
/** Text in several languages: { "kk": "…", "ru": "…" } (and "en" where a machine reads it). */
const LocalText = Type.Record(languageCode, Type.String({ minLength: 1, maxLength: 400 }));

/** A value: text with {{placeholders}}, the same in every language, or one text per language. */
const ValueTemplate = Type.Union([Type.String({ minLength: 1, maxLength: 400 }), LocalText]);

const Row = Type.Object(
  {
    label: LocalText,
    value: ValueTemplate,
    /** printed large and bold: the child's names */
    emphasis: Type.Optional(Type.Boolean()),
    /**
     * How a value that differs by language is printed: one line per language ("stack", the
     * default) or on one line, "kk / ru" ("join": short values such as citizenship or sex).
     */
    languages: Type.Optional(Type.Union([Type.Literal('stack'), Type.Literal('join')])),
  },
  { additionalProperties: false },
);

const Section = Type.Object(
  { heading: Type.Optional(LocalText), rows: Type.Array(Row, { minItems: 1, maxItems: 30 }) },
  { additionalProperties: false },
);

export const CertificateTemplateSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    kind: Type.Union(certificateKinds.map((k) => Type.Literal(k))),
    /** the languages printed, in order (each label and title shows all of them) */
    languages: Type.Array(languageCode, { minItems: 1, maxItems: 3, uniqueItems: true }),
    paper: Type.Literal('A4'),
    /** the state's name, at the top */
    state: LocalText,
    /** the document's title; an `en` entry goes into the PDF's metadata */
    title: LocalText,
    /** a line under the title (an extract says what it is extracted from) */
    subtitle: Type.Optional(LocalText),
    /** a copy or an extract is marked as one in a frame under the title */
    marking: Type.Optional(LocalText),
    /** the printed form's number at the top right, e.g. "№ {{certificate.serial}}" */
    number: ValueTemplate,
    sections: Type.Array(Section, { minItems: 1, maxItems: 10 }),
    footer: Type.Object(
      {
        /** who signs: the head of the registry office */
        registrar: Row,
        /** the line above the signature on a certified copy ("certified by") */
        certifiedBy: Type.Optional(LocalText),
        /** the words under the signature line */
        signature: LocalText,
        /** where the stamp goes (М.О. / М.П.) */
        stamp: LocalText,
        /** the serial and number of the printed form */
        serial: Row,
      },
      { additionalProperties: false },
    ),
    qr: Type.Object(
      {
        /** lower left corner of the QR symbol with its quiet zone, in points from the page's lower left */
        x: Type.Number({ minimum: 0 }),
        y: Type.Number({ minimum: 0 }),
        /** the side of the symbol with its quiet zone, in points (42 mm keeps modules ≥ 0.45 mm) */
        size: Type.Number({ minimum: 72, maximum: 200 }),
        caption: LocalText,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

type TemplateJson = Static<typeof CertificateTemplateSchema>;
export type LocalText = Record<string, string>;
export type ValueTemplate = string | LocalText;
export type CertificateRow = Static<typeof Row>;
export type CertificateSection = Static<typeof Section>;

export interface CertificateTemplate extends TemplateJson {
  /** where it was read from, for error messages (config/kz/certificates/extract.json) */
  source: string;
  /** every character the pack's certificates may print: the fonts are cut down to these */
  characters: string;
}

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholder names a value template uses, in order (the same name may appear twice). */
export function placeholdersOf(value: ValueTemplate): string[] {
  const texts = typeof value === 'string' ? [value] : Object.values(value);
  return texts.flatMap((text) => [...text.matchAll(placeholderPattern)].map((m) => m[1]!));
}

/** Whether a row prints one line per language (its value differs by language). */
export function rowIsPerLanguage(row: { value: ValueTemplate; languages?: 'stack' | 'join' }): boolean {
  if (row.languages === 'join') return false;
  if (typeof row.value !== 'string') return true;
  return placeholdersOf(row.value).some((name) => placeholderNames[name as PlaceholderName] === 'perLanguage');
}

export const missingValue = '—';

/** One field in one language: the language asked, else the others in order; undefined when empty. */
export function fieldText(fields: CertificateFields, name: string, language: string, fallbacks: readonly string[]): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return clean(value);
  const byLanguage = value as Record<string, string | undefined>;
  for (const lang of [language, ...fallbacks, 'en']) {
    const text = clean(byLanguage[lang]);
    if (text) return text;
  }
  return undefined;
}

/**
 * One line of text never breaks a layout: runs of white space (a pasted line break) become one
 * space; letters typed as a base and a combining accent become the one letter the fonts hold (NFC).
 */
function clean(text: string | undefined): string | undefined {
  const cleaned = text?.normalize('NFC').replace(/\s+/g, ' ').trim();
  return cleaned || undefined;
}

/**
 * A value template filled in for one language. A missing or empty field prints a dash (a father
 * not established); a value whose fields are all missing is one dash, whatever words surround them.
 */
export function fillValue(value: ValueTemplate, fields: CertificateFields, language: string, languages: readonly string[]): string {
  const text = typeof value === 'string' ? value : (value[language] ?? value[languages[0]!] ?? '');
  let found = 0;
  let missing = 0;
  const filled = text.replace(placeholderPattern, (_, name: string) => {
    const field = fieldText(fields, name, language, languages);
    if (field === undefined) {
      missing++;
      return missingValue;
    }
    found++;
    return field;
  });
  if (missing > 0 && found === 0) return missingValue;
  return filled.replace(/\s+/g, ' ').trim();
}

/**
 * A value on one line for all languages: each field shows its different language versions once,
 * "Өзбекстан / Узбекистан · 930505300789" (a per-language template joins its whole texts).
 */
export function fillJoined(value: ValueTemplate, fields: CertificateFields, languages: readonly string[]): string {
  if (typeof value !== 'string') return [...new Set(languages.map((l) => fillValue(value, fields, l, languages)))].join(' / ');
  let found = 0;
  let missing = 0;
  const filled = value.replace(placeholderPattern, (_, name: string) => {
    const versions = new Set<string>();
    for (const language of languages) {
      const text = fieldText(fields, name, language, languages);
      if (text !== undefined) versions.add(text);
    }
    if (versions.size === 0) {
      missing++;
      return missingValue;
    }
    found++;
    return [...versions].join(' / ');
  });
  if (missing > 0 && found === 0) return missingValue;
  return filled.replace(/\s+/g, ' ').trim();
}

/** What a template file's fields must satisfy beyond the schema, each problem naming the field. */
function checkTemplate(json: TemplateJson, file: string, characters: string): void {
  const fail = (field: string, message: string): never => invalid(file, field, message);
  const languages = json.languages;
  const allowed = new Set([...languages, 'en']);
  const known = new Set<string>(Object.keys(placeholderNames));
  const printable = new Set(Array.from(characters));

  const checkText = (text: string, field: string) => {
    for (const ch of text) {
      if (!printable.has(ch)) {
        fail(field, `holds "${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}), which is not in the pack's alphabet (certificates/alphabet.json)`);
      }
    }
  };
  const checkLocal = (text: LocalText, field: string, required = languages) => {
    for (const lang of Object.keys(text)) {
      if (!allowed.has(lang)) fail(`${field}.${lang}`, `is not one of the template's languages (${languages.join(', ')}) or en`);
    }
    for (const lang of required) if (!text[lang]?.trim()) fail(`${field}.${lang}`, 'is missing: every printed text needs each of the template\'s languages');
    for (const lang of languages) checkText(text[lang] ?? '', `${field}.${lang}`);
  };
  const checkValue = (value: ValueTemplate, field: string) => {
    if (typeof value !== 'string') checkLocal(value, field);
    const texts = typeof value === 'string' ? [value] : languages.map((l) => value[l] ?? '');
    for (const text of texts) {
      const outside = text.replace(placeholderPattern, '');
      if (outside.includes('{{') || outside.includes('}}')) fail(field, 'has an unclosed {{ or a stray }}: write placeholders as {{name}}');
      checkText(outside, field);
    }
    for (const name of placeholdersOf(value)) {
      if (!known.has(name)) fail(field, `uses an unknown placeholder {{${name}}}; known: ${[...known].join(', ')}`);
    }
  };
  const checkRow = (row: CertificateRow, field: string) => {
    checkLocal(row.label, `${field}.label`);
    checkValue(row.value, `${field}.value`);
  };

  checkLocal(json.state, 'state');
  checkLocal(json.title, 'title');
  if (json.subtitle) checkLocal(json.subtitle, 'subtitle');
  if (json.marking) checkLocal(json.marking, 'marking');
  checkValue(json.number, 'number');
  json.sections.forEach((section, s) => {
    if (section.heading) checkLocal(section.heading, `sections[${s}].heading`);
    section.rows.forEach((row, r) => checkRow(row, `sections[${s}].rows[${r}]`));
  });
  checkRow(json.footer.registrar, 'footer.registrar');
  checkRow(json.footer.serial, 'footer.serial');
  if (json.footer.certifiedBy) checkLocal(json.footer.certifiedBy, 'footer.certifiedBy');
  checkLocal(json.footer.signature, 'footer.signature');
  checkLocal(json.footer.stamp, 'footer.stamp');
  checkLocal(json.qr.caption, 'qr.caption', languages);
  for (const text of Object.values(json.qr.caption)) checkText(text, 'qr.caption');
}

function invalid(file: string, field: string, message: string): never {
  const where = field ? `${file}: ${field}` : file;
  throw new AppError('validation_failed', `${where} ${message}`, {
    field: where,
    hint: `correct ${file} (see config/kz/README.md, "Certificates") and start again`,
  });
}

/**
 * Parses one template file's text. `file` names it in errors; `kind` is the kind its name says;
 * `characters` the pack's alphabet (every literal text of the template must be printable).
 */
export function parseCertificateTemplate(text: string, file: string, kind: CertificateKind, characters: string): CertificateTemplate {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return invalid(file, '', `is not valid JSON (${(error as Error).message})`);
  }
  const errors = [...Value.Errors(CertificateTemplateSchema, json)];
  // An unknown field is reported twice (the field itself, "schema is false", and its parent's
  // additionalProperties): the parent's names it better.
  const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0];
  if (first) {
    const field = first.instancePath.slice(1).replaceAll('/', '.');
    const extra = (first.params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
    invalid(file, field, extra ? `has an unknown field ${extra.join(', ')}` : first.message);
  }
  const template = json as TemplateJson;
  if (template.kind !== kind) invalid(file, 'kind', `is "${template.kind}" but the file is the ${kind} template`);
  checkTemplate(template, file, characters);
  const result: CertificateTemplate = { ...template, source: file, characters };
  const problem = checkLayout(result, rowIsPerLanguage);
  if (problem) invalid(file, problem.field, problem.message);
  return result;
}

const Alphabet = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    ranges: Type.Array(
      Type.Object(
        {
          from: Type.String({ pattern: '^[0-9A-Fa-f]{4,6}$' }),
          to: Type.String({ pattern: '^[0-9A-Fa-f]{4,6}$' }),
          holds: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    characters: Type.String(),
    charactersHold: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** alphabet.json: the characters a certificate may print, as a string of distinct characters. */
export function parseAlphabet(text: string, file: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return invalid(file, '', `is not valid JSON (${(error as Error).message})`);
  }
  const first = [...Value.Errors(Alphabet, json)][0];
  if (first) invalid(file, first.instancePath.slice(1).replaceAll('/', '.'), first.message);
  const alphabet = json as Static<typeof Alphabet>;
  const codePoints = new Set<number>();
  alphabet.ranges.forEach((range, i) => {
    const from = parseInt(range.from, 16);
    const to = parseInt(range.to, 16);
    if (to < from || to - from > 0x2000) invalid(file, `ranges[${i}]`, 'must run upwards and span at most 8192 characters');
    for (let cp = from; cp <= to; cp++) codePoints.add(cp);
  });
  for (const ch of alphabet.characters) codePoints.add(ch.codePointAt(0)!);
  // A space is needed between words whatever the pack says.
  codePoints.add(0x20);
  return String.fromCodePoint(...[...codePoints].sort((a, b) => a - b).filter((cp) => !isControl(cp)));
}

const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp < 0xa0);

const cache = new Map<string, Record<CertificateKind, CertificateTemplate>>();

/**
 * The pack's certificate templates, read from config/<pack>/certificates/ and checked once per
 * process. A pack without that folder, or missing a kind, is refused with what to add.
 */
export function loadCertificateTemplates(pack: string, dir: string = configDir): Record<CertificateKind, CertificateTemplate> {
  const folder = path.join(dir, pack, 'certificates');
  const cached = cache.get(folder);
  if (cached) return cached;
  const shown = `config/${pack}/certificates`;
  if (!fs.existsSync(folder)) {
    throw new AppError('validation_failed', `country pack ${pack} has no certificate templates (${shown}/ is missing)`, {
      field: shown,
      hint: `add ${shown}/ with alphabet.json and ${certificateKinds.map((k) => `${k}.json`).join(', ')}; see config/kz/README.md`,
    });
  }
  const read = (name: string) => {
    const file = path.join(folder, name);
    if (!fs.existsSync(file)) {
      throw new AppError('validation_failed', `${shown}/${name} is missing`, {
        field: `${shown}/${name}`,
        hint: `every pack with certificates needs alphabet.json and ${certificateKinds.map((k) => `${k}.json`).join(', ')}; see config/kz/README.md`,
      });
    }
    return fs.readFileSync(file, 'utf8');
  };
  const characters = parseAlphabet(read('alphabet.json'), `${shown}/alphabet.json`);
  const templates = Object.fromEntries(
    certificateKinds.map((kind) => [kind, parseCertificateTemplate(read(`${kind}.json`), `${shown}/${kind}.json`, kind, characters)]),
  ) as Record<CertificateKind, CertificateTemplate>;
  cache.set(folder, templates);
  return templates;
}
