/**
 * The forms of a name that record linkage compares (NameForms in subject.ts): as written, exact,
 * the Latin a document would carry, the match form that makes Kazakh, Russian and Latin spellings
 * of one name equal (Нұрсұлтанова = Нурсултанова = Nursultanova), and its phonetic keys.
 *
 * Batch audit works these out for millions of names, so the work is table-driven: the tables are
 * built once when the module loads, a name is read code point by code point into reused typed
 * arrays, and only the result strings are allocated. Every form is made from the first 200
 * characters of the name (the schema allows 100), so no input makes the work unbounded; what is
 * stored is the caller's business and stays as written.
 */
import { doubleMetaphone } from 'double-metaphone';
import {
  cyrillicLooksLatin,
  cyrillicToMatch,
  icao9303,
  kazakhLatin2021,
  kazakhLatin2021Capitals,
  kazakhOnlyLetters,
  latinLooksCyrillic,
  latinSpecial,
  matchLatin,
} from './alphabets.ts';
import type { LinkageInput, LinkageSubject, NameForms, PersonForms, PersonInput } from './subject.ts';

/** Characters of input a name's forms are made from. */
export const maxNameInput = 200;

// ---------------------------------------------------------------------------------------------
// Character tables, indexed by code point below tableSize (Latin, Greek, Cyrillic, Armenian,
// Hebrew, Arabic and the Latin extended-additional block); above it a slower path asks the
// Unicode properties of the one character (Chinese, Korean: the rare case here).

const tableSize = 0x2000;
/** Not part of a word: space, punctuation, symbols. Splits words, dropped from the match form. */
const SEP = 0;
/** A Latin letter. */
const LATIN = 1;
/** A letter of the Kazakh/Russian Cyrillic alphabets (and the Ukrainian/Belarusian ones ICAO lists). */
const CYRILLIC = 2;
/** A combining mark or an invisible format character (zero-width space): ignored. */
const MARK = 3;
/** Any other letter or digit (Arabic, Chinese, other Cyrillic): kept as it is. */
const OTHER = 4;

/** A dense array of tableSize slots (a sparse one would be a slow dictionary in V8). */
const table = (): (string | undefined)[] => new Array<string | undefined>(tableSize).fill(undefined);
const kindOf = new Uint8Array(tableSize);
const isCapital = new Uint8Array(tableSize);
const lowerOf = new Int32Array(tableSize);
/** LATIN: the letter as lower-case ASCII ('sh' for ş); '' when it has none (then it counts as OTHER). */
const latinAscii = table();
/** CYRILLIC, by lower-case code point: the match letters (Russian Cyrillic after the folds). */
const cyrillicMatch = table();
/** Look-alike letter of the other script (code point), 0 when none. */
const toCyrillic = new Int32Array(tableSize);
const toLatin = new Int32Array(tableSize);
/** By lower-case code point: 1 for the letters that make a word Kazakh. */
const isKazakhOnly = new Uint8Array(tableSize);
/**
 * Latin letters only the Kazakh 2021 alphabet (or Turkish) has: in a word with one of them the
 * word is read as Kazakh 2021, where ш is ş, so "sh" is с+х ("Ashatūly" is Асхатұлы) and y is
 * always ы. Q is not among them: informal spellings ("Qanysh") use it beside sh.
 */
const isKazakh2021Letter = new Uint8Array(tableSize);
/** Document Latin by lower-case Cyrillic code point: small, capitalised, all capitals. */
const kkSmall = table();
const kkTitle = table();
const kkCaps = table();
const icaoSmall = table();
const icaoTitle = table();
const icaoCaps = table();
/** The match form's Latin of each match letter, and every other code point as itself. */
const render = table();
/** 1 for the match letters that render as Latin (so the name has something to sound out). */
const rendersLatin = new Uint8Array(tableSize);
/** 1 for consonant match letters (ё after a consonant: "Fyodor"). */
const isConsonant = new Uint8Array(tableSize);

const reMark = /^[\p{M}\p{Cf}]$/u;
const reLetterOrDigit = /^[\p{L}\p{N}]$/u;
const reLatin = /^\p{Script=Latin}$/u;
const reCyrillic = /^\p{Script=Cyrillic}$/u;
const reCapital = /^[\p{Lu}\p{Lt}]$/u;

/** Plain ASCII letters of a Latin letter: its compatibility decomposition without the marks. */
function asciiOf(ch: string): string {
  const lower = ch.toLowerCase();
  const special = latinSpecial[ch] ?? latinSpecial[lower];
  if (special !== undefined) return special;
  return ch.normalize('NFKD').toLowerCase().replace(/[^a-z]/g, '');
}

function classify(ch: string): number {
  if (reMark.test(ch)) return MARK;
  if (!reLetterOrDigit.test(ch)) return SEP;
  if (reLatin.test(ch) && /\p{L}/u.test(ch)) return asciiOf(ch) === '' ? OTHER : LATIN;
  if (reCyrillic.test(ch) && cyrillicToMatch[ch.toLowerCase()] !== undefined) return CYRILLIC;
  return OTHER;
}

function capitalise(latin: string): string {
  return latin === '' ? '' : latin[0]!.toUpperCase() + latin.slice(1);
}

for (let cp = 0; cp < tableSize; cp++) {
  const ch = String.fromCharCode(cp);
  const lower = ch.toLowerCase();
  const kind = classify(ch);
  kindOf[cp] = kind;
  lowerOf[cp] = lower.length === 1 ? lower.charCodeAt(0) : cp;
  isCapital[cp] = reCapital.test(ch) ? 1 : 0;
  render[cp] = ch;
  if (kind === LATIN) latinAscii[cp] = asciiOf(ch);
  if (kind === CYRILLIC) cyrillicMatch[cp] = cyrillicToMatch[lower]!;
}
for (const [latin, cyrillic] of Object.entries(latinLooksCyrillic)) toCyrillic[latin.charCodeAt(0)] = cyrillic.charCodeAt(0);
for (const [cyrillic, latin] of Object.entries(cyrillicLooksLatin)) toLatin[cyrillic.charCodeAt(0)] = latin.charCodeAt(0);
for (const ch of kazakhOnlyLetters) isKazakhOnly[ch.charCodeAt(0)] = 1;
for (const ch of 'äğñöūüşıİÄĞÑÖŪÜŞ') isKazakh2021Letter[ch.charCodeAt(0)] = 1;
for (const [ch, latin] of Object.entries(kazakhLatin2021)) {
  const cp = ch.charCodeAt(0);
  const capital = kazakhLatin2021Capitals[ch];
  kkSmall[cp] = latin;
  kkTitle[cp] = capital ?? capitalise(latin);
  kkCaps[cp] = capital?.toUpperCase() ?? latin.toUpperCase();
}
for (const [ch, latin] of Object.entries(icao9303)) {
  const cp = ch.charCodeAt(0);
  icaoSmall[cp] = latin;
  icaoTitle[cp] = capitalise(latin);
  icaoCaps[cp] = latin.toUpperCase();
}
for (const [ch, latin] of Object.entries(matchLatin)) {
  const cp = ch.charCodeAt(0);
  render[cp] = latin;
  rendersLatin[cp] = 1;
  if (!'аеиоу'.includes(ch)) isConsonant[cp] = 1;
}

/** The class of a code point at or above tableSize: asks its Unicode properties once (bounded memo). */
const kindsAbove = new Map<number, number>();
function kindAbove(cp: number): number {
  let k = kindsAbove.get(cp);
  if (k === undefined) {
    k = classify(String.fromCodePoint(cp));
    if (kindsAbove.size >= 4096) kindsAbove.clear();
    kindsAbove.set(cp, k);
  }
  return k;
}
function kind(cp: number): number {
  return cp < tableSize ? kindOf[cp]! : kindAbove(cp);
}
function lower(cp: number): number {
  if (cp < tableSize) return lowerOf[cp]!;
  const l = String.fromCodePoint(cp).toLowerCase();
  const first = l.codePointAt(0)!;
  return l.length === (first > 0xffff ? 2 : 1) ? first : cp;
}

// ---------------------------------------------------------------------------------------------
// Preparing the input.

/** The first maxNameInput UTF-16 units of a string, never half a surrogate pair. */
function cap(t: string): string {
  if (t.length <= maxNameInput) return t;
  const last = t.charCodeAt(maxNameInput - 1);
  return t.slice(0, last >= 0xd800 && last <= 0xdbff ? maxNameInput - 1 : maxNameInput);
}

/** NFC, trimmed, at most maxNameInput characters (capped again after NFC, which may lengthen). */
function prepare(text: string): string {
  return cap(cap(text.trim()).normalize('NFC')).trim();
}

/**
 * A word (a run of characters between separators) is read as Cyrillic when it has at least as
 * many Kazakh/Russian letters as Latin ones; then its Latin look-alikes are the Cyrillic letters
 * (and the other way round), so a word typed partly on the wrong layout reads as one script.
 */
let wordLatin = 0;
let wordCyrillic = 0;
let wordKazakh = false;
let wordKazakh2021 = false;
/** Scans the word starting at i; sets the counts above and returns where it ends. */
function scanWord(s: string, i: number): number {
  wordLatin = 0;
  wordCyrillic = 0;
  wordKazakh = false;
  wordKazakh2021 = false;
  let sawLatinI = false;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const k = kind(cp);
    if (k === SEP) break;
    if (k === LATIN) {
      wordLatin++;
      if (cp === 0x69 || cp === 0x49) sawLatinI = true;
      else if (cp < tableSize && isKazakh2021Letter[cp] === 1) wordKazakh2021 = true;
    } else if (k === CYRILLIC) {
      wordCyrillic++;
      if (cp < tableSize && isKazakhOnly[lowerOf[cp]!] === 1) wordKazakh = true;
    }
    i += cp > 0xffff ? 2 : 1;
  }
  // A Latin i in a Cyrillic word is a Kazakh і typed without a Kazakh keyboard.
  if (sawLatinI && wordCyrillic > 0 && wordCyrillic >= wordLatin) wordKazakh = true;
  return i;
}

// ---------------------------------------------------------------------------------------------
// The document Latin.

/**
 * The Latin form a document would carry: a word with a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і) in
 * the Kazakh Latin alphabet of 2021, any other Cyrillic word by ICAO 9303 (as on passports);
 * Latin and other scripts stay as written. Capitals are kept: Жанна → Zhanna, ЖАННА → ZHANNA.
 */
export function latinOf(written: string): string {
  return typeof written === 'string' ? latinOfPrepared(prepare(written)) : '';
}

/**
 * Output buffer of latinOfPrepared and of the match form: a name of 200 characters is at most 800
 * in Latin (Щ SHCH), and its match form at most 200 × 3 (ligatures such as ﬃ) × 2 (x = ks) × 2 (zh).
 */
const latinBuffer = new Uint16Array(maxNameInput * 16);
let latinLength = 0;

function putLatin(text: string): void {
  for (let j = 0; j < text.length; j++) latinBuffer[latinLength++] = text.charCodeAt(j);
}

function latinOfPrepared(s: string): string {
  latinLength = 0;
  let changed = false;
  let sawMark = false;
  let i = 0;
  while (i < s.length) {
    const first = s.codePointAt(i)!;
    if (kind(first) === SEP) {
      latinBuffer[latinLength++] = s.charCodeAt(i++);
      continue;
    }
    const end = scanWord(s, i);
    const cyrillicWord = wordCyrillic > 0 && wordCyrillic >= wordLatin;
    const kazakh = wordKazakh;
    let prevCapital = false;
    while (i < end) {
      let cp = s.charCodeAt(i);
      if (cp >= tableSize) {
        // Nothing to transliterate up there (and a surrogate pair is copied unit by unit).
        latinBuffer[latinLength++] = cp;
        i++;
        prevCapital = false;
        continue;
      }
      let k = kindOf[cp]!;
      if (cyrillicWord && k === LATIN && toCyrillic[cp] !== 0) {
        cp = toCyrillic[cp]!;
        k = CYRILLIC;
      } else if (!cyrillicWord && k === CYRILLIC && toLatin[cp] !== 0) {
        latinBuffer[latinLength++] = toLatin[cp]!;
        changed = true;
        prevCapital = isCapital[cp] === 1;
        i++;
        continue;
      }
      const capital = isCapital[cp] === 1;
      const small = k === CYRILLIC ? ((kazakh ? kkSmall[lowerOf[cp]!] : undefined) ?? icaoSmall[lowerOf[cp]!]) : undefined;
      if (small === undefined) latinBuffer[latinLength++] = s.charCodeAt(i);
      else {
        changed = true;
        if (!capital) putLatin(small);
        else {
          const lc = lowerOf[cp]!;
          // Two letters for one: all capitals inside a word in capitals (ZHANNA), else Zh.
          let caps = false;
          if (small.length > 1) {
            const next = i + 1 < end ? s.charCodeAt(i + 1) : -1;
            caps = next >= 0 ? next < tableSize && isCapital[next] === 1 : prevCapital;
          }
          putLatin(caps ? ((kazakh ? kkCaps[lc] : undefined) ?? icaoCaps[lc]!) : ((kazakh ? kkTitle[lc] : undefined) ?? icaoTitle[lc]!));
        }
      }
      if (k !== MARK) prevCapital = capital;
      else sawMark = true;
      i++;
    }
  }
  if (!changed) return s;
  const latin = String.fromCharCode.apply(null, latinBuffer.subarray(0, latinLength) as unknown as number[]);
  // A mark on a letter that is Latin now may compose with it (Т̣ → Ṭ): keep the result NFC.
  // Trimmed, as the name was: a dropped letter (ь) may leave a space at an end.
  return (sawMark ? latin.normalize('NFC') : latin).trim();
}

// ---------------------------------------------------------------------------------------------
// The match form.

/** Separator in the unit buffer. */
const UNIT_SEP = -1;
/** Step 1 output: ASCII Latin letters still to be read, match letters (Cyrillic), other code points. */
const units = new Int32Array(maxNameInput * 4);
let unitCount = 0;
/** Step 2 output: match letters and other code points, doubles collapsed. */
const letters = new Int32Array(maxNameInput * 8);
let letterCount = 0;
/** Whether step 1 saw a letter or digit (a name of punctuation alone is blank). */
let sawLetter = false;

const code = (c: string): number => c.charCodeAt(0);
const A = code('а'), B = code('б'), V = code('в'), G = code('г'), D = code('д'), E = code('е'), ZH = code('ж');
const Z = code('з'), I = code('и'), K = code('к'), L = code('л'), M = code('м'), N = code('н'), O = code('о');
const P = code('п'), R = code('р'), S = code('с'), T = code('т'), U = code('у'), F = code('ф'), KH = code('х');
const TS = code('ц'), CH = code('ч'), SH = code('ш');
/** The match letter of each plain Latin letter read alone (c h j q w x y have rules of their own). */
const plainLatin = new Int32Array(128);
for (const [latin, letter] of Object.entries({
  a: A, b: B, c: K, d: D, e: E, f: F, g: G, h: KH, i: I, j: ZH, k: K, l: L, m: M, n: N, o: O,
  p: P, q: K, r: R, s: S, t: T, u: U, v: V, w: U, x: KH, y: I, z: Z,
})) plainLatin[code(latin)] = letter;
const isLatinVowel = (u: number): boolean => u === 0x61 || u === 0x65 || u === 0x69 || u === 0x6f || u === 0x75 || u === 0x79;

function pushUnits(text: string): void {
  for (let j = 0; j < text.length; j++) units[unitCount++] = text.charCodeAt(j);
}

/** Step 1: letters as lower-case ASCII Latin or as Cyrillic match letters, words split by UNIT_SEP. */
function readUnits(s: string): void {
  unitCount = 0;
  sawLetter = false;
  let i = 0;
  while (i < s.length) {
    const first = s.codePointAt(i)!;
    if (kind(first) === SEP) {
      if (unitCount > 0 && units[unitCount - 1] !== UNIT_SEP) units[unitCount++] = UNIT_SEP;
      i += first > 0xffff ? 2 : 1;
      continue;
    }
    const end = scanWord(s, i);
    const cyrillicWord = wordCyrillic > 0 && wordCyrillic >= wordLatin;
    while (i < end) {
      let c = s.codePointAt(i)!;
      i += c > 0xffff ? 2 : 1;
      let k = kind(c);
      if (k === MARK) continue;
      sawLetter = true;
      if (c < tableSize) {
        if (cyrillicWord && k === LATIN && toCyrillic[c] !== 0) {
          c = toCyrillic[c]!;
          k = CYRILLIC;
        } else if (!cyrillicWord && k === CYRILLIC && toLatin[c] !== 0) {
          c = toLatin[c]!;
          k = LATIN;
        }
      }
      if (k === LATIN) {
        // In a Kazakh 2021 word h (but for ch, which is ч there too) and y stand alone: the match
        // letters, not ASCII to be paired.
        if (wordKazakh2021 && (c === 0x68 || c === 0x48) && units[unitCount - 1] !== 0x63) units[unitCount++] = KH;
        else if (wordKazakh2021 && (c === 0x79 || c === 0x59)) units[unitCount++] = I;
        else pushUnits(c < tableSize ? latinAscii[c]! : asciiOf(String.fromCodePoint(c)));
      }
      else if (k === CYRILLIC) pushUnits(cyrillicMatch[lowerOf[c]!]!);
      else units[unitCount++] = lower(c);
    }
  }
}

/**
 * Appends a match letter: a double letter is one (Жанна = Жана), т+с and т+ц are ц (as ICAO
 * writes ц "ts", so Latin "ts" needs no rule of its own, "tsh" stays т+ш, and "tts" is тц).
 */
function emit(c: number): void {
  let last = letterCount > 0 ? letters[letterCount - 1]! : -1;
  if ((c === S || c === TS) && last === T) {
    letterCount--;
    c = TS;
    last = letterCount > 0 ? letters[letterCount - 1]! : -1;
  }
  if (last !== c) letters[letterCount++] = c;
}

/**
 * Step 2: reads the Latin spellings into match letters, so that every common spelling of a sound
 * meets the Cyrillic letter: kh/h/x → х, zh/j → ж, sh/ş → ш, ch/ç → ч, gh → г, q → к,
 * w → у, y → и (ye → е, and yo → е after a consonant: Yerlan, Fyodor), c → ц before e/i/y and
 * к elsewhere, x → кс between vowels (Maxim, Alexandr) but х at the start or before a consonant
 * (Xasan, Axmetov).
 */
function readLetters(): void {
  letterCount = 0;
  for (let i = 0; i < unitCount; i++) {
    const u = units[i]!;
    if (u === UNIT_SEP) continue;
    if (u < 0x61 || u > 0x7a) {
      emit(u);
      continue;
    }
    const next = i + 1 < unitCount ? units[i + 1]! : UNIT_SEP;
    switch (u) {
      case 0x63: // c
        if (next === 0x68) {
          emit(CH);
          i++;
        } else emit(next === 0x65 || next === 0x69 || next === 0x79 ? TS : K);
        break;
      case 0x67: // g, gh
      case 0x6b: // k, kh
      case 0x73: // s, sh
      case 0x7a: // z, zh
        if (next === 0x68) {
          emit(u === 0x67 ? G : u === 0x6b ? KH : u === 0x73 ? SH : ZH);
          i++;
        } else emit(plainLatin[u]!);
        break;
      case 0x78: {
        // x
        const wordStart = i === 0 || units[i - 1] === UNIT_SEP;
        const beforeConsonant = next >= 0x61 && next <= 0x7a ? !isLatinVowel(next) : next >= 0 && next < tableSize && isConsonant[next] === 1;
        if (wordStart || beforeConsonant) emit(KH);
        else {
          emit(K);
          emit(S);
        }
        break;
      }
      case 0x79: // y
        if (next === 0x65 || (next === 0x6f && letterCount > 0 && isConsonant[letters[letterCount - 1]!] === 1)) {
          emit(E);
          i++;
        } else emit(I);
        break;
      default:
        emit(plainLatin[u]!);
    }
  }
}

/**
 * Step 3, the endings, at the end of the name: -ова/-ева → -ов/-ев (with at least two letters
 * before), -оглы/-оглу → -улы, -гызы → -кызы (Kazakh -ұлы/-қызы and their Latin spellings are
 * already -uli/-kizi by the y/i fold).
 */
function foldEndings(): void {
  const n = letterCount;
  const l = letters;
  if (n >= 5 && l[n - 1] === A && l[n - 2] === V && (l[n - 3] === O || l[n - 3] === E)) {
    letterCount = n - 1;
  } else if (n >= 4 && l[n - 4] === O && l[n - 3] === G && l[n - 2] === L && (l[n - 1] === I || l[n - 1] === U)) {
    letterCount = n - 4;
    emit(U);
    emit(L);
    emit(I);
  } else if (n >= 4 && l[n - 4] === G && l[n - 3] === I && l[n - 2] === Z && l[n - 1] === I) {
    letterCount = n - 4;
    emit(K);
    emit(I);
    emit(Z);
    emit(I);
  }
}

/** Set by matchOf: whether the match form has a Latin letter (else it has no sound to key). */
let matchHasLatin = false;

/** The match form of a prepared name; null when it has no letter or digit. */
function matchOf(s: string): string | null {
  readUnits(s);
  if (!sawLetter) return null;
  readLetters();
  foldEndings();
  // Rendered into latinBuffer (free again: latinOfPrepared has returned its string).
  latinLength = 0;
  matchHasLatin = false;
  for (let j = 0; j < letterCount; j++) {
    const c = letters[j]!;
    if (c < tableSize) {
      if (rendersLatin[c] === 1) {
        matchHasLatin = true;
        putLatin(render[c]!);
      } else latinBuffer[latinLength++] = c;
    } else if (c <= 0xffff) latinBuffer[latinLength++] = c;
    else {
      latinBuffer[latinLength++] = 0xd800 + ((c - 0x10000) >> 10);
      latinBuffer[latinLength++] = 0xdc00 + ((c - 0x10000) & 0x3ff);
    }
  }
  return latinLength === 0 ? null : String.fromCharCode.apply(null, latinBuffer.subarray(0, latinLength) as unknown as number[]);
}

/** The first n code points of a string. */
function firstCodePoints(s: string, n: number): string {
  let end = 0;
  for (let count = 0; count < n && end < s.length; count++) end += (s.codePointAt(end)! > 0xffff ? 2 : 1);
  return s.slice(0, end);
}

function phoneticOf(match: string, hasLatin: boolean): string[] {
  if (hasLatin) {
    const [primary, alternate] = doubleMetaphone(match);
    if (primary !== '') return alternate !== '' && alternate !== primary ? [primary, alternate] : [primary];
    if (alternate !== '') return [alternate];
  }
  // No sound to key (Arabic, Chinese): identical spellings still meet on their first letters.
  return [`~${firstCodePoints(match, 8)}`];
}

// ---------------------------------------------------------------------------------------------
// The API.

const spaces = /\s+/g;

/**
 * The forms of a name as written; undefined when it is blank (nothing but spaces, punctuation or
 * marks: a legacy "-" for no patronymic is no name). Never throws; works on the first 200
 * characters.
 */
export function nameForms(written: string | undefined): NameForms | undefined {
  if (typeof written !== 'string') return undefined;
  const w = prepare(written);
  if (w === '') return undefined;
  const match = matchOf(w);
  if (match === null) return undefined;
  return {
    written: w,
    exact: w.toLowerCase().replace(spaces, ' '),
    latin: latinOfPrepared(w),
    match,
    phonetic: phoneticOf(match, matchHasLatin),
  };
}

/**
 * Names already worked out, by the string as written: a birth register repeats its names (Zipf),
 * so most look-ups hit. Bounded: past cacheLimit the oldest entry goes (first in, first out,
 * cheaper than an LRU's reordering on every hit and as good for a skewed stream). The forms are
 * frozen because subjects share them. Longer strings than a name can be are not kept.
 */
const cacheLimit = 100_000;
const cache = new Map<string, NameForms | null>();

function cachedForms(written: string | undefined): NameForms | undefined {
  if (typeof written !== 'string') return undefined;
  const hit = cache.get(written);
  if (hit !== undefined) return hit ?? undefined;
  const forms = nameForms(written);
  if (forms !== undefined) {
    Object.freeze(forms.phonetic);
    Object.freeze(forms);
  }
  if (written.length <= maxNameInput) {
    cache.set(written, forms ?? null);
    if (cache.size > cacheLimit) cache.delete(cache.keys().next().value!);
  }
  return forms;
}

function personForms(p: PersonInput): PersonForms {
  const forms: PersonForms = {};
  const surname = cachedForms(p.surname);
  const givenName = cachedForms(p.givenName);
  const patronymic = cachedForms(p.patronymic);
  if (surname) forms.surname = surname;
  if (givenName) forms.givenName = givenName;
  if (patronymic) forms.patronymic = patronymic;
  if (p.dateOfBirth !== undefined) forms.dateOfBirth = p.dateOfBirth;
  if (p.iin !== undefined) forms.iin = p.iin;
  return forms;
}

/** A birth as linkage compares it: every name's forms (shared, frozen, from a bounded cache). */
export function subjectOf(input: LinkageInput): LinkageSubject {
  const { child } = input;
  const subject: LinkageSubject = {
    recordId: input.recordId,
    child: { ...personForms(child), dateOfBirth: child.dateOfBirth },
    placeKato: input.placeKato,
  };
  if (child.sex !== undefined) subject.child.sex = child.sex;
  if (child.birthOrder !== undefined) subject.child.birthOrder = child.birthOrder;
  if (input.mother) subject.mother = personForms(input.mother);
  if (input.father) subject.father = personForms(input.father);
  if (input.facilityId !== undefined) subject.facilityId = input.facilityId;
  return subject;
}

/** Splits a search box: spaces, hyphens, punctuation (not the apostrophe of O'Brien). */
const tokenSeparators = /[^\p{L}\p{M}\p{N}'’ʼ]+/u;

/** A search box's words, each with its forms; blank words dropped. Reads the first 200 characters. */
export function queryTokens(text: string): NameForms[] {
  if (typeof text !== 'string') return [];
  const tokens: NameForms[] = [];
  for (const word of prepare(text).split(tokenSeparators)) {
    const forms = nameForms(word);
    if (forms !== undefined) tokens.push(forms);
  }
  return tokens;
}
