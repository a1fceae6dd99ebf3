import fs from 'node:fs';
import path from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { isIsoDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import type { legalStatuses } from './declaration.ts';
import { type IinRules, maxSerial, parseIinRules, type Sex } from './iin.ts';
import { legacyColumns } from './legacy-import.ts';
import { configDir, loadPack } from '../places/pack.ts';

type LegalStatus = (typeof legalStatuses)[number];

/**
 * A synthetic population of legacy birth registrations with known duplicates, for measuring record
 * linkage: a stream of rows the legacy import takes (src/births/legacy-import.ts), each with its
 * ground truth (the cluster of rows that are one birth, and which errors a duplicate carries).
 *
 * Deterministic: the same options and names give the same rows, byte for byte (our own seeded PRNG,
 * no Math.random, no clock). Streaming: memory holds a bounded window of recent originals (to copy
 * duplicates, twins' siblings and namesakes from) and a counter per date of birth for parents' IINs,
 * never the rows already produced, so a million rows cost what a thousand do.
 *
 * The Latin spellings of the `script` error are written here, on purpose apart from
 * src/linkage/names.ts: the generator tests that module, so it must not share its tables.
 */

export interface SyntheticPlace {
  /** KATO code of the place (the pack's places.csv). */
  kato: string;
  /** Health facilities at that place (the pack's facilities.csv); births there name one. */
  facilityIds: string[];
  /** Relative number of births at the place (1 when absent): the CLI gives region births ÷ places in the region. */
  weight?: number;
}

export interface SyntheticOptions {
  /** Rows in all, duplicates included. */
  births: number;
  /** Share of rows that are duplicates of an earlier row, 0 ≤ dupRate < 1. */
  dupRate: number;
  /** Any non-negative safe integer; legacy references are SYN-<seed>-<n>. */
  seed: number;
  places: SyntheticPlace[];
  /** YYYY-MM-DD: no date of birth or registration lies after it. */
  today: string;
  /** First date of birth of the register (YYYY-MM-DD); five years before today when absent. */
  from?: string;
  /** The pack's IIN rules, for parents' IINs; Kazakhstan's (pack kz) when absent. */
  iinRules?: IinRules;
}

export const injectedErrors = ['typo', 'script', 'fold', 'swap', 'no_patronymic', 'dob_shift', 'no_iin'] as const;
export type InjectedError = (typeof injectedErrors)[number];

/**
 * original: a birth; twin: one of a pair born together (same mother, date, place, surname; another
 * given name and birth order); sibling: a later or earlier child of an earlier row's mother;
 * namesake: another child with an earlier row's names (and often a near date) but other parents;
 * duplicate: a second registration of an earlier original. Only duplicates share a cluster.
 */
export type SyntheticKind = 'original' | 'twin' | 'sibling' | 'namesake' | 'duplicate';

export interface SyntheticBirth {
  /** Every legacy import column, in legacyColumns' order, '' when empty; the caller's to keep or change. */
  row: Record<string, string>;
  /** Rows of one birth share a cluster number (1, 2, …, in the order originals appear). */
  cluster: number;
  /** legacy_ref of the original this row duplicates; null for an original. */
  duplicateOf: string | null;
  /** The errors injected into a duplicate (1–3, in the order applied); empty for an original. */
  errors: InjectedError[];
  kind: SyntheticKind;
  /** For a twin, sibling or namesake: the legacy_ref of the row it resembles without being it. */
  like: string | null;
}

const ZipfParameters = Type.Object({ exponent: Type.Number({ minimum: 0, maximum: 5 }), offset: Type.Number({ minimum: 0, maximum: 1000 }) }, { additionalProperties: false });
const NameList = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1 });
const NameGroupSchema = Type.Object({ male: NameList, female: NameList, surnames: NameList }, { additionalProperties: false });
const SyntheticNamesSchema = Type.Object(
  {
    $comment: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    zipf: Type.Object({ givenNames: ZipfParameters, surnames: ZipfParameters }, { additionalProperties: false }),
    kazakh: NameGroupSchema,
    russian: NameGroupSchema,
    foreign: Type.Array(
      Type.Object(
        { country: Type.String({ pattern: '^[A-Z]{2}$' }), weight: Type.Number({ exclusiveMinimum: 0 }), male: NameList, female: NameList, surnames: NameList },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
/** config/<pack>/synthetic-names.json: each list from the most common name to the least. */
export type SyntheticNames = Static<typeof SyntheticNamesSchema>;

/** Checks a names file's content; errors name the file and the field. */
export function parseSyntheticNames(json: unknown, file = 'synthetic-names.json'): SyntheticNames {
  const errors = [...Value.Errors(SyntheticNamesSchema, json)];
  const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0];
  if (first) {
    const field = first.instancePath.slice(1).replaceAll('/', '.');
    const extra = (first.params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
    const where = field ? `${file}: ${field}` : file;
    throw new AppError('validation_failed', `${where} ${extra ? `has an unknown field ${extra.join(', ')}` : first.message}`, { field: where, hint: `correct ${file} and start again` });
  }
  return json as SyntheticNames;
}

const loaded = new Map<string, SyntheticNames>();

/** Reads config/<pack>/synthetic-names.json (once per process). */
export function loadSyntheticNames(pack: string): SyntheticNames {
  const cached = loaded.get(pack);
  if (cached) return cached;
  const file = path.join(configDir, pack, 'synthetic-names.json');
  const shown = `config/${pack}/synthetic-names.json`;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppError('not_found', `${shown} is missing: the pack has no names for synthetic births`, { field: shown });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('validation_failed', `${shown} is not valid JSON (${(error as Error).message})`, { field: shown });
  }
  const names = parseSyntheticNames(json, shown);
  loaded.set(pack, names);
  return names;
}

// ---------------------------------------------------------------------------------------------
// Distributions (each a documented choice; see the summary in syntheticBirths' comment).

/** Sex ratio at birth about 106 boys to 100 girls. */
const maleShare = 0.515;
/** A twin delivery per 132 deliveries: twin children are about 1.5% of births. */
const twinDelivery = 0.0076;
/** Among original rows: another child of an earlier row's mother, and a child named like an earlier row's. */
const siblingShare = 0.02;
const namesakeShare = 0.01;
/** Mothers by origin: Kazakh families, Russian-speaking ones (Russian, Ukrainian, German, Korean, Tatar names), foreign. */
const groupShares = { kazakh: 0.7, russian: 0.27, foreign: 0.03 };
/** Mother's age at birth by five-year group (16–19, 20–24, …, 40–45), close to Kazakhstan's age-specific fertility. */
const motherAgeGroups: [number, number, number][] = [
  [16, 19, 0.03],
  [20, 24, 0.22],
  [25, 29, 0.32],
  [30, 34, 0.25],
  [35, 39, 0.14],
  [40, 45, 0.04],
];
/** Births on Saturday and Sunday are fewer (planned caesareans and inductions fall on working days). */
const weekdayWeight = [0.85, 1, 1, 1, 1, 1, 0.9];
/** Births in a health facility; a mother without documents gives birth at home more often. */
const facilityShare = 0.98;
const facilityShareUndocumented = 0.92;
/** How many errors a duplicate carries (1, 2, 3) and how often each kind is drawn. */
const errorCounts = [0.6, 0.3, 0.1];
const errorWeights: Record<InjectedError, number> = { typo: 0.26, script: 0.18, fold: 0.16, swap: 0.08, no_patronymic: 0.1, dob_shift: 0.12, no_iin: 0.1 };
/**
 * The window of earlier originals duplicates, siblings and namesakes are drawn from: the first
 * ones, then one original in eight, so it spans the last ~8,000 originals.
 */
const windowSize = 1024;
const windowKeep = 1 / 8;

type StatusShares = [LegalStatus, number][];
const statusShares: Record<'kazakh' | 'russian' | 'foreign' | 'refugee_origin', StatusShares> = {
  kazakh: [
    ['citizen', 0.975],
    ['permanent_resident', 0.012],
    ['unknown', 0.013],
  ],
  russian: [
    ['citizen', 0.955],
    ['permanent_resident', 0.02],
    ['temporary_resident', 0.01],
    ['unknown', 0.015],
  ],
  foreign: [
    ['temporary_resident', 0.45],
    ['permanent_resident', 0.22],
    ['undocumented', 0.2],
    ['stateless', 0.1],
    ['refugee_or_asylum_seeker', 0.03],
  ],
  refugee_origin: [
    ['refugee_or_asylum_seeker', 0.55],
    ['undocumented', 0.25],
    ['temporary_resident', 0.15],
    ['stateless', 0.05],
  ],
};
/** A parent's IIN is in the register this often, by legal status (≈ 85% of mothers overall). */
const iinShare: Record<LegalStatus, number> = {
  citizen: 0.88,
  permanent_resident: 0.8,
  temporary_resident: 0.5,
  refugee_or_asylum_seeker: 0.2,
  stateless: 0.3,
  undocumented: 0,
  unknown: 0,
};
/** Kazakh returnees (qandas) hold a residence permit before citizenship. */
const returneeCountries = ['CN', 'UZ', 'MN', 'TM', 'RU'];

// ---------------------------------------------------------------------------------------------
// Randomness: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded by splitmix32.

type Random = () => number;

function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  const splitmix = () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state ^ high;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pickOne = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
function pickShare<T>(random: Random, shares: readonly (readonly [T, number])[]): T {
  let r = random() * shares.reduce((s, [, w]) => s + w, 0);
  for (const [value, weight] of shares) if ((r -= weight) < 0) return value;
  return shares[shares.length - 1]![0];
}
function normal(random: Random, mean: number, sd: number): number {
  const u = 1 - random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Draws from a list with fixed weights in O(log n): cumulative weights and a binary search. */
class Weighted<T> {
  private readonly cumulative: Float64Array;
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((w, i) => (this.cumulative[i] = sum += w));
  }
  pick(random: Random): T {
    const r = random() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

const zipf = (items: readonly string[], p: { exponent: number; offset: number }) => new Weighted(items, items.map((_, i) => 1 / (i + 1 + p.offset) ** p.exponent));

// ---------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01), their ISO text cached for the years 1900–2099.

const day0 = Date.UTC(1900, 0, 1) / 86_400_000;
const daysCached = Date.UTC(2100, 0, 1) / 86_400_000 - day0;
/** Filled with '' by push: a large `new Array(n)`, or one written from the middle, is a slow sparse one. */
const isoCache: string[] = [];
for (let i = 0; i < daysCached; i++) isoCache.push('');
const dayOf = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
function isoOf(day: number): string {
  const i = day - day0;
  return isoCache[i] || (isoCache[i] = new Date(day * 86_400_000).toISOString().slice(0, 10));
}
/** 0 = Sunday (1970-01-01 was a Thursday). */
const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;

// ---------------------------------------------------------------------------------------------
// Names: gendered surnames, patronymics, -ұлы / -қызы.

/** The female form of a male-form surname: -ов/-ев/-ин → -ова/-ева/-ина, -ский → -ская, -ұлы → -қызы; Latin -ov/-ev/-in → -a. */
export function femaleSurname(male: string): string {
  // Short ones are Korean (Ким, Шин, Ли) and never change.
  if (male.length <= 3) return male;
  if (/ұлы$/.test(male)) return `${male.slice(0, -3)}қызы`;
  if (/(ов|ев|ёв|ин|ын)$/.test(male)) return `${male}а`;
  if (/(ский|цкий)$/.test(male)) return `${male.slice(0, -2)}ая`;
  if (/(ov|ev|in|yn)$/.test(male)) return `${male}a`;
  return male;
}

const surnameFor = (male: string, sex: Sex) => (sex === 'male' ? male : femaleSurname(male));

/** The Kazakh form "son of" / "daughter of" a father's given name: Серік → Серікұлы, Серікқызы. */
const kazakhSuffix = (father: string, sex: Sex) => `${father}${sex === 'male' ? 'ұлы' : 'қызы'}`;

const patronymicExceptions: Record<string, [string, string]> = {
  Илья: ['Ильич', 'Ильинична'],
  Никита: ['Никитич', 'Никитична'],
  Лев: ['Львович', 'Львовна'],
  Пётр: ['Петрович', 'Петровна'],
  Павел: ['Павлович', 'Павловна'],
  Михаил: ['Михайлович', 'Михайловна'],
  Дмитрий: ['Дмитриевич', 'Дмитриевна'],
  Георгий: ['Георгиевич', 'Георгиевна'],
};

/** A Russian-style patronymic from any Cyrillic male name: Сергей → Сергеевич, Юрий → Юрьевна, Серік → Серікович. */
export function russianPatronymic(father: string, sex: Sex): string {
  const exception = patronymicExceptions[father];
  if (exception) return exception[sex === 'male' ? 0 : 1];
  const [stem, soft] = /ий$/.test(father)
    ? [`${father.slice(0, -2)}ь`, true]
    : /[йь]$/.test(father)
      ? [father.slice(0, -1), true]
      : /[аеёиоуыэюяәөұүі]$/.test(father)
        ? [father, true]
        : [father, /[жшчщц]$/.test(father)];
  return `${stem}${soft ? 'ев' : 'ов'}${sex === 'male' ? 'ич' : 'на'}`;
}

/** A Kazakh surname made from a forefather's given name, for the long tail of rare surnames: Серікбай → Серікбаев, Ерлан → Ерланов. */
function surnameFromName(name: string): string {
  if (/й$/.test(name)) return `${name.slice(0, -1)}ев`;
  if (/ь$/.test(name)) return `${name.slice(0, -1)}ев`;
  if (/[аеиоуыэюяәөұүі]$/.test(name) || /[жшчщц]$/.test(name)) return `${name}ев`;
  return `${name}ов`;
}

// ---------------------------------------------------------------------------------------------
// The `script` and `fold` errors: Latin spellings and Russian look-alikes of Kazakh letters.

/** Kazakh letters typed on a Russian keyboard as their look-alikes. */
const foldTable: Record<string, string> = { ә: 'а', ө: 'о', ү: 'у', ұ: 'у', қ: 'к', ң: 'н', ғ: 'г', һ: 'х', і: 'и', Ә: 'А', Ө: 'О', Ү: 'У', Ұ: 'У', Қ: 'К', Ң: 'Н', Ғ: 'Г', Һ: 'Х', І: 'И' };
const kazakhLetters = /[әөүұқңғһіӘӨҮҰҚҢҒҺІ]/;
const foldRegex = /[әөүұқңғһіӘӨҮҰҚҢҒҺІ]/g;
export const foldKazakh = (text: string) => text.replace(foldRegex, (c) => foldTable[c]!);

/** How the clerk who wrote a name in Latin spelled it. */
export type LatinStyle = 'kk2021' | 'icao' | 'informal';

/** Russian letters by ICAO Doc 9303 (passports since 2013); Kazakh letters as Kazakhstan's passports write them. */
const icao: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: 'ie', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
  ә: 'a', ғ: 'g', қ: 'k', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i',
};
/**
 * The Kazakh Latin alphabet presented in January 2021 (Ä Ğ Q Ñ Ö Ū Ü Ş, І → I ı, И/Й → İ i, Ы → Y;
 * e.g. Бұрыңғы → Būryñğy, кісі → kısı, үйіне → üiıne; Wikipedia, "Kazakh alphabets", Latin script);
 * Ч → Ç as in the 2019–2021 drafts; letters of Russian words only (Ц, Щ, Ю, Я, Ё) as digraphs.
 */
const kk2021: Record<string, string> = {
  а: 'a', ә: 'ä', б: 'b', в: 'v', г: 'g', ғ: 'ğ', д: 'd', е: 'e', ё: 'io', ж: 'j', з: 'z', и: 'i', й: 'i', к: 'k', қ: 'q', л: 'l', м: 'm',
  н: 'n', ң: 'ñ', о: 'o', ө: 'ö', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'ū', ү: 'ü', ф: 'f', х: 'h', һ: 'h', ц: 'ts', ч: 'ç', ш: 'ş',
  щ: 'şş', ъ: '', ы: 'y', і: 'ı', ь: '', э: 'e', ю: 'iu', я: 'ia',
};
/** Capitals where Turkic Latin differs from toUpperCase: dotted İ for И/Й, dotless I for І. */
const kk2021Capitals: Record<string, string> = { и: 'İ', й: 'İ', і: 'I', ё: 'İo', ю: 'İu', я: 'İa' };
/** The everyday English-style spelling (older passports, airline tickets, social networks): Айгерім → Aygerim, Хасанов → Hasanov. */
const informal: Record<string, string> = {
  ...icao,
  й: 'y', ю: 'yu', я: 'ya', ё: 'yo', щ: 'sch', ъ: '', ң: 'ng', х: 'kh',
};

function latinWord(word: string, table: Record<string, string>, capitals: Record<string, string>, random: Random | undefined): string {
  let out = '';
  let previous = '';
  for (const ch of word) {
    const lower = ch.toLowerCase();
    let latin = table[lower];
    if (latin === undefined) {
      out += ch;
      previous = lower;
      continue;
    }
    // Informal habits: х as h half the time, "ий" at a word's end as "iy".
    if (random && table === informal) {
      if (lower === 'х' && random() < 0.4) latin = 'h';
      if (lower === 'й' && previous === 'и') latin = 'y';
    }
    if (ch !== lower) latin = capitals[lower] ?? (latin ? latin[0]!.toUpperCase() + latin.slice(1) : '');
    out += latin;
    previous = lower;
  }
  return out;
}

/**
 * A name written in Latin in one style. kk2021 spells the words of a Kazakh family's names by the
 * 2021 alphabet (Нұрсұлтанова → Nūrsūltanova); `kazakh` false (a Russian family's names) or the
 * other styles give passport spellings (Nursultanova, Zhanna; informal Zhanna, Aygerim).
 */
export function latinSpelling(written: string, style: LatinStyle, kazakh: boolean, random?: Random): string {
  if (style === 'kk2021' && kazakh) return latinWord(written, kk2021, kk2021Capitals, random);
  return latinWord(written, style === 'informal' ? informal : icao, {}, random);
}

const cyrillic = /[\u0400-\u04FF]/;

/** Letters a clerk mistypes one for the other (similar sound or look), both ways. */
const confusions: Record<string, string> = Object.fromEntries(
  ['ао', 'еи', 'иы', 'сз', 'тд', 'бп', 'вф', 'гк', 'жш', 'нм', 'іи', 'ұү', 'әе', 'өо', 'ao', 'ei', 'iy', 'sz', 'td', 'bp', 'vf', 'gk', 'nm', 'uy'].flatMap(([a, b]) => [
    [a!, b!],
    [b!, a!],
  ]),
);
const cyrillicLetters = [...'абвгдежзийклмнопрстуфхцчшыэюяәғқңөұүі'];
const latinLetters = [...'abcdefghijklmnopqrstuvwxyz'];

/** One letter substituted, deleted, or two neighbours transposed; undefined when the name is too short. */
function typo(name: string, random: Random): string | undefined {
  const chars = [...name];
  if (chars.length < 3) return undefined;
  for (let attempt = 0; attempt < 10; attempt++) {
    // Rarely the first letter: people check it.
    const at = random() < 0.15 ? 0 : int(random, 1, chars.length - 1);
    const copy = [...chars];
    const op = random();
    const ch = copy[at]!;
    if (op < 0.5) {
      const lower = ch.toLowerCase();
      const alphabet = cyrillic.test(lower) ? cyrillicLetters : /[a-z]/.test(lower) ? latinLetters : undefined;
      if (!alphabet) continue;
      let other = confusions[lower] && random() < 0.6 ? confusions[lower]! : pickOne(random, alphabet);
      if (ch !== lower) other = other.toUpperCase();
      copy[at] = other;
    } else if (op < 0.75) {
      copy.splice(at, 1);
    } else {
      const j = at === chars.length - 1 ? at - 1 : at;
      [copy[j], copy[j + 1]] = [copy[j + 1]!, copy[j]!];
    }
    const result = copy.join('');
    if (result !== name && result.trim() === result && result !== '') return result;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// People and families.

type GroupKind = 'kazakh' | 'russian' | 'foreign';

interface NameGroup {
  kind: GroupKind;
  country: string;
  male: Weighted<string>;
  female: Weighted<string>;
  surnames: Weighted<string>;
}

interface Parent {
  group: NameGroup;
  given: string;
  surname: string;
  dob: number;
  showDob: boolean;
  iin: string;
  citizenship: string;
  status: LegalStatus;
}

interface Place {
  kato: string;
  facilityId: string;
}

interface Family {
  mother: Parent;
  father: Parent | undefined;
  /** The group the children's given names come from (the father's when he is recorded). */
  naming: NameGroup;
  surname: Record<Sex, string>;
  /** The father's given name a patronymic is made from, and how. */
  patronymic: { style: 'none' | 'kazakh' | 'russian'; from: string };
  marital: string;
  parentage: string;
  place: Place;
}

interface Original {
  ref: string;
  cluster: number;
  row: Readonly<Record<string, string>>;
  family: Family;
  dob: number;
  sex: Sex;
  given: string;
  /** The family's names are Kazakh (the `script` error may then use the Kazakh Latin alphabet). */
  kazakh: boolean;
}

/**
 * Hands out parents' IINs: unique per date of birth and sex (a counter per date and sex, from a
 * seeded start among the serials), with a valid check digit. The counters are a typed array over
 * the days of 1900–2099 (bounded memory; a Map keyed by fresh strings cost more than the rest of a row).
 */
class IinIssuer {
  private readonly used = new Uint16Array(2 * daysCached);
  private readonly digits = new Map<number, number>();
  private readonly weights: [number[], number[]];
  constructor(
    rules: IinRules,
    private readonly salt: number,
  ) {
    for (const [digit, v] of Object.entries(rules.centurySexDigit)) this.digits.set(v.century * 2 + (v.sex === 'male' ? 0 : 1), Number(digit));
    this.weights = rules.checkDigitWeights;
  }
  next(day: number, sex: Sex): string {
    const dob = isoOf(day);
    const year = Number(dob.slice(0, 4));
    const digit = this.digits.get(Math.floor(year / 100) * 200 + (sex === 'male' ? 0 : 1));
    if (digit === undefined) return '';
    const slot = 2 * (day - day0) + (sex === 'male' ? 0 : 1);
    // The first 7 digits as numbers, for the check digit (iin.ts checkDigit, without building strings).
    const d = [Math.floor((year % 100) / 10), year % 10, +dob[5]!, +dob[6]!, +dob[8]!, +dob[9]!, digit, 0, 0, 0, 0];
    const start = Math.imul(slot ^ this.salt, 2_654_435_761) >>> 0;
    for (let count = this.used[slot]!; count < maxSerial; count++) {
      const serial = 1 + ((start + count) % maxSerial);
      d[7] = Math.floor(serial / 1000);
      d[8] = Math.floor(serial / 100) % 10;
      d[9] = Math.floor(serial / 10) % 10;
      d[10] = serial % 10;
      const check = this.checkDigit(d);
      if (check !== null) {
        this.used[slot] = count + 1;
        return `${dob.slice(2, 4)}${dob.slice(5, 7)}${dob.slice(8, 10)}${digit}${d[7]}${d[8]}${d[9]}${d[10]}${check}`;
      }
    }
    this.used[slot] = maxSerial;
    return '';
  }
  private checkDigit(d: number[]): number | null {
    for (const weights of this.weights) {
      let sum = 0;
      for (let i = 0; i < 11; i++) sum += d[i]! * weights[i]!;
      if (sum % 11 !== 10) return sum % 11;
    }
    return null;
  }
}

function checkOptions(o: SyntheticOptions): void {
  const fail = (field: string, message: string): never => {
    throw new AppError('validation_failed', message, { field });
  };
  if (!Number.isSafeInteger(o.births) || o.births < 0) fail('births', 'births must be a whole number ≥ 0');
  if (!(o.dupRate >= 0 && o.dupRate < 1)) fail('dupRate', 'dupRate must be at least 0 and less than 1');
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) fail('seed', 'seed must be a whole number ≥ 0');
  if (!isIsoDate(o.today) || o.today < '1985-01-01') fail('today', 'today must be a date YYYY-MM-DD from 1985 (so parents are born after 1900)');
  if (o.from !== undefined && (!isIsoDate(o.from) || o.from > o.today || o.from < '1980-01-01')) fail('from', 'from must be a date YYYY-MM-DD from 1980 (parents born after 1900) and not after today');
  if (!o.places.length) fail('places', 'give at least one place');
  for (const p of o.places) if (!/^\d{9}$/.test(p.kato)) fail('places', `place ${p.kato} is not a 9-digit KATO code`);
}

/** Every legacy column, empty (copied by spreading: faster than building it a million times). */
const blankRow: Readonly<Record<string, string>> = Object.fromEntries(legacyColumns.map(([c]) => [c, '']));
const emptyRow = (): Record<string, string> => ({ ...blankRow });

let kzIinRules: IinRules | undefined;

/**
 * The rows, one by one. Distributions (documented at their constants above): Kazakh families 70%,
 * Russian-speaking 27%, foreign mothers 3% (Uzbek, Kyrgyz, Tajik, Chinese, Afghan, Turkish names);
 * names drawn Zipf-like from the lists; boys 51.5%; mothers 16–45 by Kazakhstan-like age groups,
 * fathers about 3 years older; father recorded for 87% / 83% / 55% of Kazakh / Russian / foreign
 * mothers; legal statuses by origin; mothers' IINs ≈ 85%; facility births 98%; twins 1.5% of
 * births; siblings 2% and namesakes 1% of originals; a duplicate carries 1 (60%), 2 (30%) or 3
 * (10%) errors; dates of birth from `from` to `today`, fewer at weekends; registration within days,
 * a few late.
 */
export function* syntheticBirths(options: SyntheticOptions, names: SyntheticNames): Generator<SyntheticBirth> {
  checkOptions(options);
  const random = seededRandom(options.seed);
  const rules = options.iinRules ?? (kzIinRules ??= parseIinRules(loadPack('kz').settings.identityNumber));
  const issuer = new IinIssuer(rules, Math.floor(random() * 2 ** 32));
  const today = dayOf(options.today);
  const from = options.from ? dayOf(options.from) : dayOf(`${Number(options.today.slice(0, 4)) - 5}${options.today.slice(4)}`.replace('-02-29', '-02-28')) + 1;
  const group = (kind: GroupKind, country: string, g: { male: string[]; female: string[]; surnames: string[] }): NameGroup => ({
    kind,
    country,
    male: zipf(g.male, names.zipf.givenNames),
    female: zipf(g.female, names.zipf.givenNames),
    surnames: zipf(g.surnames, names.zipf.surnames),
  });
  const kazakh = group('kazakh', 'KZ', names.kazakh);
  const russian = group('russian', 'KZ', names.russian);
  const foreign = new Weighted(
    names.foreign.map((f) => group('foreign', f.country, f)),
    names.foreign.map((f) => f.weight),
  );
  const allPlaces = new Weighted(options.places, options.places.map((p) => p.weight ?? 1));
  const withFacilities = options.places.filter((p) => p.facilityIds.length);
  const facilityPlaces = withFacilities.length ? new Weighted(withFacilities, withFacilities.map((p) => p.weight ?? 1)) : undefined;
  const statuses = Object.fromEntries(Object.entries(statusShares).map(([k, v]) => [k, new Weighted(v.map(([s]) => s), v.map(([, w]) => w))])) as Record<keyof typeof statusShares, Weighted<LegalStatus>>;
  const motherAges = new Weighted(motherAgeGroups, motherAgeGroups.map(([, , w]) => w));
  const errorKinds = new Weighted<InjectedError>(injectedErrors, injectedErrors.map((e) => errorWeights[e]));

  const birthDay = (): number => {
    for (;;) {
      const day = int(random, from, today);
      if (random() < weekdayWeight[weekday(day)]!) return day;
    }
  };
  const placeOf = (undocumented: boolean): Place => {
    if (facilityPlaces && random() < (undocumented ? facilityShareUndocumented : facilityShare)) {
      const p = facilityPlaces.pick(random);
      return { kato: p.kato, facilityId: pickOne(random, p.facilityIds) };
    }
    return { kato: allPlaces.pick(random).kato, facilityId: '' };
  };
  const surnameOf = (g: NameGroup): string => {
    // Some Kazakh surnames are rare ones made from a forefather's name (any on the list, not by
    // popularity): the long tail a list cannot hold.
    if (g.kind === 'kazakh' && random() < 0.12) return surnameFromName(pickOne(random, g.male.items));
    return g.surnames.pick(random);
  };
  const citizenshipOf = (status: LegalStatus, g: NameGroup): string => {
    if (status === 'citizen') return 'KZ';
    if (status === 'stateless') return 'stateless';
    if (status === 'unknown') return 'unknown';
    if (status === 'undocumented') return random() < 0.5 ? g.country : 'unknown';
    if (g.kind === 'kazakh') return pickOne(random, returneeCountries);
    if (g.kind === 'russian') return 'RU';
    return g.country;
  };
  const parent = (g: NameGroup, sex: Sex, dob: number): Parent => {
    const status = statuses[g.kind === 'foreign' ? (g.country === 'AF' ? 'refugee_origin' : 'foreign') : g.kind].pick(random);
    return {
      group: g,
      given: (sex === 'male' ? g.male : g.female).pick(random),
      surname: surnameFor(surnameOf(g), sex),
      dob,
      showDob: random() < (status === 'undocumented' ? 0.6 : status === 'unknown' ? 0.8 : 0.97),
      iin: random() < iinShare[status] ? issuer.next(dob, sex) : '',
      citizenship: citizenshipOf(status, g),
      status,
    };
  };

  const newFamily = (childDob: number, naming?: NameGroup): Family => {
    const r = random();
    const motherGroup = naming ?? (r < groupShares.kazakh ? kazakh : r < groupShares.kazakh + groupShares.russian ? russian : foreign.pick(random));
    const [lo, hi] = motherAges.pick(random);
    const motherAge = int(random, lo, hi);
    const mother = parent(motherGroup, 'female', childDob - Math.round(motherAge * 365.25) - int(random, 0, 364));
    if (motherGroup.kind === 'kazakh' && random() < 0.03) mother.surname = kazakhSuffix(kazakh.male.pick(random), 'female');
    if (mother.status === 'undocumented' && random() < 0.1) mother.surname = '';
    const fatherShare = motherGroup.kind === 'kazakh' ? 0.87 : motherGroup.kind === 'russian' ? 0.83 : 0.55;
    let father: Parent | undefined;
    if (random() < fatherShare) {
      const fr = random();
      const fatherGroup =
        naming ??
        (motherGroup.kind === 'kazakh' ? (fr < 0.97 ? kazakh : russian) : motherGroup.kind === 'russian' ? (fr < 0.92 ? russian : kazakh) : fr < 0.6 ? motherGroup : fr < 0.9 ? kazakh : russian);
      const fatherAge = Math.min(70, Math.max(18, Math.round(motherAge + normal(random, 3, 3.5))));
      father = parent(fatherGroup, 'male', childDob - Math.round(fatherAge * 365.25) - int(random, 0, 364));
      if (fatherGroup.kind === 'kazakh' && random() < 0.03) father.surname = kazakhSuffix(kazakh.male.pick(random), 'male');
    }
    const m = random();
    const marital = father ? (m < 0.78 ? 'married' : m < 0.96 ? 'not_married' : 'unknown') : m < 0.75 ? 'not_married' : 'unknown';
    const p = random();
    const parentage = !father ? 'not_established' : marital === 'married' ? 'marriage' : p < 0.85 ? 'joint_declaration' : p < 0.95 ? 'father_declaration' : 'court_decision';
    // Most married women take the husband's surname; a few write both.
    if (father && marital === 'married' && motherGroup.kind !== 'foreign' && father.group.kind !== 'foreign' && !father.surname.endsWith('ұлы')) {
      const s = random();
      const husbands = femaleSurname(father.surname);
      if (s < 0.63) mother.surname = husbands;
      else if (s < 0.65 && mother.surname) mother.surname = `${husbands}-${mother.surname}`;
    }
    const namingGroup = father?.group ?? motherGroup;
    const takesFather = father && (marital === 'married' || random() < 0.75);
    let surname: Record<Sex, string>;
    let patronymic: Family['patronymic'] = { style: 'none', from: '' };
    if (takesFather && father) {
      const suffixForm = namingGroup.kind === 'kazakh' && (father.surname.endsWith('ұлы') || random() < 0.12);
      surname = suffixForm
        ? { male: kazakhSuffix(father.given, 'male'), female: kazakhSuffix(father.given, 'female') }
        : { male: father.surname, female: femaleSurname(father.surname) };
      const q = random();
      if (namingGroup.kind === 'russian') patronymic = { style: q < 0.97 ? 'russian' : 'none', from: father.given };
      else if (namingGroup.kind === 'kazakh' && !suffixForm) patronymic = { style: q < 0.4 ? 'none' : q < 0.55 ? 'kazakh' : 'russian', from: father.given };
    } else {
      // The mother's surname; a surname written only in its female form (-ова) gives the son -ов.
      const own = mother.surname;
      const male = /(ова|ева|ёва|ина|ына)$/.test(own) ? own.slice(0, -1) : /(ская|цкая)$/.test(own) ? `${own.slice(0, -2)}ий` : own;
      surname = own.endsWith('қызы') ? { male: `${own.slice(0, -4)}ұлы`, female: own } : { male, female: own };
      // A mother may still give the child a patronymic (a father's name she states).
      const q = random();
      const from = father?.given ?? namingGroup.male.pick(random);
      if (namingGroup.kind === 'russian' && q < 0.8) patronymic = { style: 'russian', from };
      else if (namingGroup.kind === 'kazakh' && q < 0.25) patronymic = { style: 'russian', from };
    }
    if (father?.status === 'undocumented' && random() < 0.2) father.surname = '';
    return { mother, father, naming: namingGroup, surname, patronymic, marital, parentage, place: placeOf(mother.status === 'undocumented') };
  };

  const registration = (dob: number): string => {
    if (random() < 0.03) return '';
    const r = random();
    const delay = r < 0.7 ? int(random, 0, 10) : r < 0.95 ? int(random, 11, 60) : int(random, 61, 730);
    return isoOf(Math.min(today, dob + delay));
  };
  const weightGrams = (sex: Sex, plurality: number): string => {
    if (random() < 0.15) return '';
    const grams = plurality > 1 ? normal(random, 2450, 450) : normal(random, sex === 'male' ? 3400 : 3300, 470);
    return String(Math.round(Math.min(5800, Math.max(600, grams)) / 10) * 10);
  };
  const givenName = (f: Family, sex: Sex, not?: string): string => {
    const list = sex === 'male' ? f.naming.male : f.naming.female;
    for (let i = 0; i < 20; i++) {
      const name = list.pick(random);
      if (name !== not) return name;
    }
    return list.items.find((n) => n !== not) ?? list.items[0]!;
  };

  const childRow = (ref: string, f: Family, sex: Sex, given: string, dob: number, plurality: number, order: number, registeredOn: string): Record<string, string> => {
    const row = emptyRow();
    const { mother, father } = f;
    row.legacy_ref = ref;
    row.registered_on = registeredOn;
    row.child_surname = f.surname[sex];
    row.child_given_name = given;
    row.child_patronymic = f.patronymic.style === 'kazakh' ? kazakhSuffix(f.patronymic.from, sex) : f.patronymic.style === 'russian' ? russianPatronymic(f.patronymic.from, sex) : '';
    row.child_sex = sex === 'male' ? 'M' : 'F';
    row.child_date_of_birth = isoOf(dob);
    row.place_kato = f.place.kato;
    row.facility_id = f.place.facilityId;
    row.plurality = String(plurality);
    row.birth_order = String(order);
    row.weight_grams = weightGrams(sex, plurality);
    row.mother_surname = mother.surname;
    row.mother_given_name = mother.given;
    row.mother_date_of_birth = mother.showDob ? isoOf(mother.dob) : '';
    row.mother_iin = mother.iin;
    row.mother_citizenship = mother.citizenship;
    row.mother_legal_status = mother.status;
    if (father) {
      row.father_surname = father.surname;
      row.father_given_name = father.given;
      row.father_date_of_birth = father.showDob ? isoOf(father.dob) : '';
      row.father_iin = father.iin;
      row.father_citizenship = father.citizenship;
      row.father_legal_status = father.status;
    }
    row.marital_status = f.marital;
    row.parentage = f.parentage;
    return row;
  };

  const window: Original[] = [];
  let windowNext = 0;
  // A sample of the originals (each kept with probability windowKeep, in place of the oldest): rows
  // that stay in memory are the costly ones for the garbage collector, rows used once are cheap.
  const remember = (o: Original) => {
    if (window.length >= windowSize && random() >= windowKeep) return;
    // The window's own copy: what a caller does to a row it was given must not leak into the duplicates made later.
    o = { ...o, row: { ...o.row } };
    if (window.length < windowSize) window.push(o);
    else window[windowNext] = o;
    windowNext = (windowNext + 1) % windowSize;
  };
  let rows = 0;
  let clusters = 0;
  const nextRef = () => `SYN-${options.seed}-${++rows}`;
  const original = (f: Family, sex: Sex, given: string, dob: number, plurality: number, order: number, registeredOn: string, ref = nextRef()): Original => {
    const o: Original = { ref, cluster: ++clusters, row: childRow(ref, f, sex, given, dob, plurality, order, registeredOn), family: f, dob, sex, given, kazakh: f.naming.kind === 'kazakh' };
    remember(o);
    return o;
  };
  const born = (o: Original, kind: SyntheticKind, like: string | null): SyntheticBirth => ({ row: o.row, cluster: o.cluster, duplicateOf: null, errors: [], kind, like });
  const sex = (): Sex => (random() < maleShare ? 'male' : 'female');

  const applyError = (row: Record<string, string>, error: InjectedError, source: Original): boolean => {
    switch (error) {
      case 'no_iin':
        if (!row.mother_iin) return false;
        row.mother_iin = '';
        return true;
      case 'no_patronymic':
        if (!row.child_patronymic) return false;
        row.child_patronymic = '';
        return true;
      case 'dob_shift': {
        const dob = dayOf(row.child_date_of_birth!);
        const shift = int(random, 1, 3);
        const shifted = dob + shift > today || random() < 0.5 ? dob - shift : dob + shift;
        row.child_date_of_birth = isoOf(shifted);
        return true;
      }
      case 'swap': {
        const people = ['child', 'mother'].filter((p) => row[`${p}_surname`] && row[`${p}_given_name`] && row[`${p}_surname`] !== row[`${p}_given_name`]);
        if (!people.length) return false;
        const p = people.length > 1 && random() < 0.3 ? people[1]! : people[0]!;
        [row[`${p}_surname`], row[`${p}_given_name`]] = [row[`${p}_given_name`]!, row[`${p}_surname`]!];
        return true;
      }
      case 'fold': {
        let changed = false;
        for (const c of nameColumns) {
          const value = row[c]!;
          if (kazakhLetters.test(value)) {
            row[c] = foldKazakh(value);
            changed = true;
          }
        }
        return changed;
      }
      case 'script': {
        const scopes = [['child', 'mother', 'father'], ['child'], ['mother'], ['father']];
        const people = pickShare(random, [
          [scopes[0]!, 0.4],
          [scopes[1]!, 0.3],
          [scopes[2]!, 0.2],
          [scopes[3]!, 0.1],
        ]);
        const s = random();
        const style: LatinStyle = s < 0.35 && source.kazakh ? 'kk2021' : s < 0.75 ? 'icao' : 'informal';
        const upper = style === 'icao' && random() < 0.2;
        const write = (columns: readonly string[]) => {
          let changed = false;
          for (const c of columns) {
            const value = row[c]!;
            if (!cyrillic.test(value)) continue;
            const latin = latinSpelling(value, style, source.kazakh, random);
            row[c] = upper ? latin.toUpperCase() : latin;
            changed = true;
          }
          return changed;
        };
        return write(nameColumns.filter((c) => people.some((p) => c.startsWith(p)))) || write(nameColumns);
      }
      case 'typo': {
        const candidates = nameColumns.filter((c) => [...row[c]!].length >= 3);
        while (candidates.length) {
          const i = Math.floor(random() * candidates.length);
          const c = candidates[i]!;
          const changed = typo(row[c]!, random);
          if (changed !== undefined) {
            row[c] = changed;
            return true;
          }
          candidates.splice(i, 1);
        }
        return false;
      }
    }
  };
  /** The order errors are applied in: dropping and shifting first, then spelling, a typo last (on the final spelling). */
  const applyOrder: readonly InjectedError[] = ['no_iin', 'no_patronymic', 'dob_shift', 'swap', 'fold', 'script', 'typo'];

  const duplicate = (source: Original): SyntheticBirth => {
    const row = { ...source.row };
    const ref = nextRef();
    row.legacy_ref = ref;
    const wanted = pickShare(random, [
      [1, errorCounts[0]!],
      [2, errorCounts[1]!],
      [3, errorCounts[2]!],
    ]);
    const chosen = new Set<InjectedError>();
    for (let attempt = 0; chosen.size < wanted && attempt < 30; attempt++) chosen.add(errorKinds.pick(random));
    const errors: InjectedError[] = [];
    for (const e of applyOrder) if (chosen.has(e) && applyError(row, e, source)) errors.push(e);
    // Every duplicate differs from its original: when no chosen error applied, shift the date (always possible).
    if (!errors.length && applyError(row, 'dob_shift', source)) errors.push('dob_shift');
    // Registered again later (another office, another year), never before the birth or after today.
    const dob = dayOf(row.child_date_of_birth!);
    const first = source.row.registered_on ? dayOf(source.row.registered_on) : source.dob;
    const later = first + (random() < 0.5 ? int(random, 1, 30) : int(random, 31, 1100));
    row.registered_on = isoOf(Math.max(dob, Math.min(today, later)));
    return { row, cluster: source.cluster, duplicateOf: source.ref, errors, kind: 'duplicate', like: null };
  };

  // The chance a step makes a duplicate, so that duplicates are dupRate of the rows although a twin delivery makes two.
  const pDuplicate = (options.dupRate * (1 + twinDelivery)) / (1 + options.dupRate * twinDelivery);
  while (rows < options.births) {
    if (window.length && random() < pDuplicate) {
      yield duplicate(window[Math.floor(random() * window.length)]!);
      continue;
    }
    const r = random();
    if (r < twinDelivery && rows + 2 <= options.births) {
      const dob = birthDay();
      const f = newFamily(dob);
      const first = sex();
      const second = random() < 0.65 ? first : first === 'male' ? 'female' : 'male';
      const name1 = givenName(f, first);
      const name2 = givenName(f, second, name1);
      const registeredOn = registration(dob);
      const ref1 = nextRef();
      const ref2 = nextRef();
      const a = original(f, first, name1, dob, 2, 1, registeredOn, ref1);
      const b = original(f, second, name2, dob, 2, 2, registeredOn, ref2);
      yield born(a, 'twin', ref2);
      yield born(b, 'twin', ref1);
      continue;
    }
    if (window.length && r < twinDelivery + siblingShare) {
      const like = window[Math.floor(random() * window.length)]!;
      const gap = int(random, 300, 1800);
      const dob = [like.dob + gap, like.dob - gap].find((d) => d >= from && d <= today && (d - like.family.mother.dob) / 365.25 >= 16 && (d - like.family.mother.dob) / 365.25 <= 47);
      if (dob !== undefined) {
        const f: Family = random() < 0.75 ? like.family : { ...like.family, place: placeOf(false) };
        const s = sex();
        yield born(original(f, s, givenName(f, s, like.given), dob, 1, 1, registration(dob)), 'sibling', like.ref);
        continue;
      }
    }
    if (window.length && r >= twinDelivery + siblingShare && r < twinDelivery + siblingShare + namesakeShare) {
      const like = window[Math.floor(random() * window.length)]!;
      const near = random() < 0.4;
      const dob = near ? Math.min(today, like.dob + int(random, -3, 3)) : birthDay();
      const f = newFamily(dob, like.family.naming);
      f.surname = like.family.surname;
      if (f.father && like.family.father && random() < 0.7) f.father.surname = like.family.father.surname;
      if (random() < 0.5) f.place = like.family.place;
      yield born(original(f, like.sex, like.given, dob, 1, 1, registration(dob)), 'namesake', like.ref);
      continue;
    }
    const dob = birthDay();
    const f = newFamily(dob);
    const s = sex();
    yield born(original(f, s, givenName(f, s), dob, 1, 1, registration(dob)), 'original', null);
  }
}

const nameColumns = ['child_surname', 'child_given_name', 'child_patronymic', 'mother_surname', 'mother_given_name', 'father_surname', 'father_given_name'] as const;

// ---------------------------------------------------------------------------------------------
// CSV: the legacy import's file and the truth file beside it.

/** The columns of FILE.truth.csv. */
export const truthColumns = ['legacy_ref', 'cluster', 'duplicate_of', 'errors', 'kind', 'like'] as const;

const columns = legacyColumns.map(([c]) => c);
const quoteAnywhere = /[",\r\n]/;
const cell = (value: string) => (quoteAnywhere.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
/**
 * A CSV line: one join and one test in the common case (nothing to quote), cell by cell otherwise.
 * Surrounding spaces need no quotes: the import trims every value.
 */
function line(values: readonly string[]): string {
  const plain = values.join(',');
  return quoteAnywhere.test(plain) ? `${values.map(cell).join(',')}\n` : `${plain}\n`;
}

export const legacyCsvHeader = () => line([...columns]);

/**
 * One row as a CSV line. A row the generator made holds every column in legacyColumns' order, read
 * in one for…in pass (looking 29 names up one by one cost more than making the row); a row in any
 * other order is read column by column.
 */
export function legacyCsvLine(b: SyntheticBirth): string {
  const values: string[] = [];
  let i = 0;
  for (const key in b.row) {
    if (key !== columns[i++]) return line(columns.map((c) => b.row[c] ?? ''));
    values.push(b.row[key]!);
  }
  return line(i === columns.length ? values : columns.map((c) => b.row[c] ?? ''));
}
export const truthCsvHeader = () => line(truthColumns);
export const truthCsvLine = (b: SyntheticBirth) => line([b.row.legacy_ref!, String(b.cluster), b.duplicateOf ?? '', b.errors.join(';'), b.kind, b.like ?? '']);
