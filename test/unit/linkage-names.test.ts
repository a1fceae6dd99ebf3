import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latinOf, maxNameInput, nameForms, queryTokens, subjectOf } from '../../src/linkage/names.ts';
import type { NameForms } from '../../src/linkage/subject.ts';

function forms(written: string): NameForms {
  const f = nameForms(written);
  if (f === undefined) throw new Error(`no forms for ${JSON.stringify(written)}`);
  return f;
}

/**
 * written → latin (the document form), match, phonetic; the last column names the rule the row
 * shows. Every fold rule of names.ts has a row here.
 */
const table: [written: string, latin: string, match: string, phonetic: string[], rule: string][] = [
  // Kazakh words (a Kazakh-only letter): Kazakh Latin 2021; the match folds the letter to its Russian look-alike.
  ['Нұрсұлтан', 'Nūrsūltan', 'nursultan', ['NRSLTN'], 'kk: ұ → ū; match ұ → у'],
  ['Әлия', 'Äliia', 'alia', ['AL'], 'kk: ә → ä, я → ia; match ә → а, double letters one'],
  ['Ғалым', 'Ğalym', 'galim', ['KLM'], 'kk: ғ → ğ, ы → y; match ғ → г, ы → и'],
  ['Қайрат', 'Qairat', 'kairat', ['KRT'], 'kk: қ → q, й → i; match қ → к'],
  ['Аңсар', 'Añsar', 'ansar', ['ANSR'], 'kk: ң → ñ; match ң → н'],
  ['Өмір', 'Ömır', 'omir', ['AMR'], 'kk: ө → ö, і → ı; match ө → о, і → и'],
  ['Гүлнара', 'Gülnara', 'gulnara', ['KLNR'], 'kk: ү → ü; match ү → у'],
  ['Шаһизада', 'Şahizada', 'shakhizada', ['XKST', 'XKTST'], 'kk: ш → ş, һ → h; match һ → х'],
  ['Жұлдыз', 'Jūldyz', 'zhuldiz', ['JLTS'], 'kk: ж → j (ICAO zh only for Russian words)'],
  ['Іляс', 'Ilias', 'ilias', ['ALS'], 'kk: capital І → I (dotless pair)'],
  ['ІЛИЯС', 'ILİİAS', 'ilias', ['ALS'], 'kk: capital И → İ (dotted), capitals kept'],
  ['ШӘКЕН', 'ŞÄKEN', 'shaken', ['XKN'], 'kk: capitals kept'],
  ['Асхатұлы', 'Ashatūly', 'askhatuli', ['ASKTL'], 'kk: с+х is "sh" (ш is ş); -ұлы → uli'],
  // Russian words: ICAO 9303.
  ['Жанна', 'Zhanna', 'zhana', ['JN'], 'ICAO ж → zh; match double letters one'],
  ['ЖАННА', 'ZHANNA', 'zhana', ['JN'], 'ICAO: two letters for one in capitals inside a capital word'],
  ['Хасан', 'Khasan', 'khasan', ['KSN'], 'ICAO х → kh'],
  ['Цой', 'Tsoi', 'tsoi', ['TS'], 'ICAO ц → ts, й → i'],
  ['Чернов', 'Chernov', 'chernov', ['XRNF'], 'ICAO ч → ch'],
  ['Шевченко', 'Shevchenko', 'shevchenko', ['XFXNK', 'XFKNK'], 'ICAO ш → sh'],
  ['Щербаков', 'Shcherbakov', 'shcherbakov', ['XXRPKF', 'XKRPKF'], 'ICAO щ → shch'],
  ['Юсупов', 'Iusupov', 'iusupov', ['ASPF'], 'ICAO ю → iu'],
  ['Яковлев', 'Iakovlev', 'iakovlev', ['AKFLF'], 'ICAO я → ia'],
  ['Рыбаков', 'Rybakov', 'ribakov', ['RPKF'], 'ICAO ы → y; match y/i one letter'],
  ['Подъячев', 'Podieiachev', 'podiachev', ['PTXF', 'PTKF'], 'ICAO ъ → ie; match drops ъ'],
  ['Сергей', 'Sergei', 'sergei', ['SRJ', 'SRK'], 'ICAO й → i'],
  ['Семён', 'Semen', 'semen', ['SMN'], 'ICAO ё → e'],
  ['Эльмира', 'Elmira', 'elmira', ['ALMR'], 'ICAO э → e, ь dropped'],
  ['Ахмет-Әлі', 'Akhmet-Älı', 'akhmetali', ['AKMTL'], 'each word its own alphabet; separators dropped from the match'],
  // Latin spellings: stay as written in latin; the match collapses the variants.
  ['Äliia', 'Äliia', 'alia', ['AL'], 'ä → a'],
  ['Ğalym', 'Ğalym', 'galim', ['KLM'], 'ğ → g'],
  ['Añsar', 'Añsar', 'ansar', ['ANSR'], 'ñ → n'],
  ['Ömır', 'Ömır', 'omir', ['AMR'], 'ö → o, ı → i'],
  ['Nūrlan', 'Nūrlan', 'nurlan', ['NRLN'], 'ū → u'],
  ['Gülnara', 'Gülnara', 'gulnara', ['KLNR'], 'ü → u'],
  ['Şahizada', 'Şahizada', 'shakhizada', ['XKST', 'XKTST'], 'ş → sh; h alone → kh'],
  ['Çingiz', 'Çingiz', 'chingiz', ['XNJS', 'XNKS'], 'ç → ch'],
  ['Quanyş', 'Quanyş', 'kuanish', ['KNX'], 'q → k'],
  ['Aygerim', 'Aygerim', 'aigerim', ['AJRM', 'AKRM'], 'y → i'],
  ['Janna', 'Janna', 'zhana', ['JN'], 'j → zh'],
  ['Ahmetov', 'Ahmetov', 'akhmetov', ['AKMTF'], 'h alone → kh'],
  ['Axmetov', 'Axmetov', 'akhmetov', ['AKMTF'], 'x before a consonant or first → kh'],
  ['Maxim', 'Maxim', 'maksim', ['MKSM'], 'x between vowels → ks'],
  ['Celina', 'Celina', 'tselina', ['TSLN'], 'c before e/i/y → ts'],
  ['Victoria', 'Victoria', 'viktoria', ['FKTR'], 'c elsewhere → k'],
  ['Yakovlev', 'Yakovlev', 'iakovlev', ['AKFLF'], 'ya → ia'],
  ['Yusupova', 'Yusupova', 'iusupov', ['ASPF'], 'yu → iu; -ova → -ov'],
  ['Yerlan', 'Yerlan', 'erlan', ['ARLN'], 'ye → e'],
  ['Fyodor', 'Fyodor', 'fedor', ['FTR'], 'yo after a consonant → e'],
  ['Mayorov', 'Mayorov', 'maiorov', ['MRF'], 'yo after a vowel stays y → i'],
  ['Dawren', 'Dawren', 'dauren', ['TRN'], 'w → u'],
  ['Ghalym', 'Ghalym', 'galim', ['KLM'], 'gh → g'],
  ['Tsoi', 'Tsoi', 'tsoi', ['TS'], 'ts is ц'],
  ['Akhmetova', 'Akhmetova', 'akhmetov', ['AKMTF'], '-ova → -ov'],
  ['Sergeyeva', 'Sergeyeva', 'sergev', ['SRJF', 'SRKF'], '-eva → -ev (ee is one e)'],
  ['Serikulı', 'Serikulı', 'serikuli', ['SRKL'], '-ulı/-uly → uli'],
  ['Mamedogly', 'Mamedogly', 'mameduli', ['MMTL'], '-ogly → uli'],
  ['Serikqyzy', 'Serikqyzy', 'serikizi', ['SRKS', 'SRKTS'], '-qyzy/-kyzy → kizi'],
  ['Serikgyzy', 'Serikgyzy', 'serikizi', ['SRKS', 'SRKTS'], '-gyzy → kizi'],
  ['Серік қызы', 'Serık qyzy', 'serikizi', ['SRKS', 'SRKTS'], 'separate қызы is the same ending'],
  ['Vasilyev', 'Vasilyev', 'vasilev', ['FSLF'], 'ye after a consonant (ье) → e'],
  // Typing accidents and other scripts.
  ['Aхметов', 'Akhmetov', 'akhmetov', ['AKMTF'], 'a Latin A in a Cyrillic word is А'],
  ['Айгерiм', 'Aigerım', 'aigerim', ['AJRM', 'AKRM'], 'a Latin i in a Cyrillic word is the Kazakh і'],
  ['Nurlаn', 'Nurlan', 'nurlan', ['NRLN'], 'a Cyrillic а in a Latin word is a'],
  ['Аи\u0306герім', 'Aigerım', 'aigerim', ['AJRM', 'AKRM'], 'decomposed й is composed (NFC)'],
  ['A\u0338i\u0338g\u0338e\u0338r\u0338i\u0338m\u0338', 'A\u0338i\u0338g\u0338e\u0338r\u0338i\u0338m\u0338', 'aigerim', ['AJRM', 'AKRM'], 'combining marks leave the match'],
  ['مريم', 'مريم', 'مريم', ['~مريم'], 'no Latin letters: ~ and the first 8 letters'],
  ['مَرْيَم', 'مَرْيَم', 'مريم', ['~مريم'], 'Arabic vowel marks leave the match'],
  ['王小明', '王小明', '王小明', ['~王小明'], 'Chinese kept as written'],
];

describe('name forms', () => {
  it.each(table)('%s → %s, %s, %j (%s)', (written, latin, match, phonetic) => {
    const f = forms(written);
    expect(f.written).toBe(written.normalize('NFC'));
    expect(f.latin).toBe(latin);
    expect(f.match).toBe(match);
    expect(f.phonetic).toEqual(phonetic);
    expect(latinOf(written)).toBe(latin);
  });

  it('exact is lower-case with inner space collapsed, written is NFC and trimmed', () => {
    expect(forms('  Нұр   Сұлтан\t').written).toBe('Нұр   Сұлтан');
    expect(forms('  Нұр   Сұлтан\t').exact).toBe('нұр сұлтан');
    expect(forms('Аи\u0306гүл').written).toBe('Айгүл');
  });

  /** One name in Kazakh, Russian and Latin spellings, and its gendered forms: one match form, one key. */
  const sameName: string[][] = [
    ['Нұрсұлтанова', 'Нурсултанова', 'Nursultanova', 'NURSULTANOVA', 'Nūrsūltanova', 'Нурсултанов'],
    ['Ахметов', 'Ахметова', 'Akhmetov', 'Ahmetov', 'Axmetov', 'AKHMETOVA', 'Aхметов'],
    ['Жанна', 'Zhanna', 'Janna', 'ЖАННА'],
    ['Айгерім', 'Айгерим', 'Aigerim', 'Aygerim', 'Aigerım', 'Айгерiм'],
    ['Серікұлы', 'Serikuly', 'Серикулы', 'Serikuli', 'Serıkūly', 'Серік ұлы', 'Serikulı'],
    ['Юсупов', 'Yusupov', 'Iusupov', 'Юсупова'],
    ['Серікқызы', 'Serikkyzy', 'Serikqyzy', 'Серик кызы', 'Serikkizi', 'Serikgyzy', 'Serık qyzy'],
    ['Ерлан', 'Yerlan', 'Erlan'],
    ['Фёдор', 'Федор', 'Fyodor', 'Fedor'],
    ['Евгений', 'Yevgeniy', 'Evgenii', 'Evgeny'],
    ['Мамедоглы', 'Mamedogly', 'Mamedoglu', 'Мамедұлы'],
    ['Васильева', 'Vasilyeva', 'Vasileva', 'Васильев'],
    ['Қуаныш', 'Куаныш', 'Quanyş', 'Kuanysh'],
    ['Ғаухар', 'Гаухар', 'Gaukhar', 'Gauhar', 'Ğauhar'],
    ['Асхатұлы', 'Ashatūly', 'Askhatuly', 'Асхатулы'],
    ['Шәкірчі', 'Şäkırçı', 'Шакирчи', 'Shakirchi'],
  ];
  it.each(sameName)('%s and its other spellings share the match form and phonetic keys', (...spellings) => {
    const [first, ...others] = spellings.map(forms);
    for (const other of others) {
      expect(other.match, other.written).toBe(first!.match);
      expect(other.phonetic, other.written).toEqual(first!.phonetic);
    }
  });

  /** Different names keep different match forms (the phonetic key may still meet: a weaker level). */
  const differentNames: [string, string, 'same key' | 'different key'][] = [
    ['Асан', 'Хасан', 'different key'],
    ['Алия', 'Алина', 'different key'],
    ['Айгерім', 'Айгүл', 'different key'],
    ['Ахметов', 'Ахмедов', 'same key'],
    ['Иванов', 'Ивановский', 'different key'],
    ['Асхат', 'Ашат', 'different key'],
    ['Serikuly', 'Serikkyzy', 'different key'],
    ['Нурлан', 'Нурлыбек', 'different key'],
  ];
  it.each(differentNames)('%s and %s are different names (%s)', (a, b, key) => {
    expect(forms(a).match).not.toBe(forms(b).match);
    if (key === 'same key') expect(forms(a).phonetic).toEqual(forms(b).phonetic);
    else expect(forms(a).phonetic).not.toEqual(forms(b).phonetic);
  });

  it('blank, junk and other odd input give no forms and never throw', () => {
    for (const blank of [undefined, '', '   ', '\t\n', '-', '—', '...', '?', '\u0301\u0301', '\u200b', ' - ', 'ь', 'ъЬ']) {
      expect(nameForms(blank)).toBeUndefined();
    }
    expect(nameForms(42 as unknown as string)).toBeUndefined();
    expect(latinOf(null as unknown as string)).toBe('');
    expect(queryTokens(undefined as unknown as string)).toEqual([]);
  });

  it('works on the first 200 characters of a very long name, whatever it is made of', () => {
    for (const unit of ['Нұрсұлтанова', 'Akhmetov ', 'щ', 'x', '\u0301', 'ﬃ', '王', '😀', 'ٴ', 'İ']) {
      const long = unit.repeat(Math.ceil(10_000 / unit.length));
      const f = nameForms(`a${long}`);
      expect(f).toBeDefined();
      expect(f!.written.length).toBeLessThanOrEqual(maxNameInput);
      expect(f!.match.length).toBeLessThanOrEqual(4 * maxNameInput);
      expect(f!.latin.length).toBeLessThanOrEqual(4 * maxNameInput);
    }
    // Never half a surrogate pair at the cut.
    const emoji = nameForms(`a${'😀'.repeat(5_000)}`)!;
    expect(emoji.written).toBe(`a${'😀'.repeat(99)}`);
  });
});

describe('queryTokens', () => {
  it('splits a search box on spaces, hyphens and punctuation, keeps apostrophes, drops blanks', () => {
    expect(queryTokens('Ахметова-Смирнова,  Айгерім ; - ').map((t) => t.written)).toEqual(['Ахметова', 'Смирнова', 'Айгерім']);
    expect(queryTokens("O'Brien").map((t) => t.match)).toEqual(['obrien']);
    expect(queryTokens('Nursultanova Aigerim').map((t) => t.match)).toEqual(['nursultanov', 'aigerim']);
    expect(queryTokens('  ,;- ')).toEqual([]);
    expect(queryTokens('Жанна '.repeat(5_000)).length).toBeLessThanOrEqual(maxNameInput);
  });
});

describe('subjectOf', () => {
  const input = {
    recordId: 'r1',
    child: { surname: 'Нұрсұлтанова', givenName: 'Айгерім', patronymic: '-', dateOfBirth: '2024-03-01', sex: 'female' as const, birthOrder: 1 },
    mother: { surname: 'Nursultanova', givenName: 'Жанна', dateOfBirth: '1995-05-05', iin: '950505400123' },
    father: { givenName: '  ' },
    facilityId: 'f1',
    placeKato: '751210000',
  };

  it('works out every name and copies the rest', () => {
    const s = subjectOf(input);
    expect(s.recordId).toBe('r1');
    expect(s.child.surname!.match).toBe('nursultanov');
    expect(s.child.givenName!.latin).toBe('Aigerım');
    expect(s.child.patronymic).toBeUndefined(); // "-" is no name
    expect(s.child).toMatchObject({ dateOfBirth: '2024-03-01', sex: 'female', birthOrder: 1 });
    expect(s.mother).toMatchObject({ dateOfBirth: '1995-05-05', iin: '950505400123' });
    expect(s.mother!.surname!.match).toBe(s.child.surname!.match);
    expect(s.father).toEqual({});
    expect(s.facilityId).toBe('f1');
    expect(s.placeKato).toBe('751210000');
  });

  it('shares one frozen forms object per name written (the cache)', () => {
    const a = subjectOf(input);
    const b = subjectOf({ ...input, recordId: 'r2' });
    expect(b.child.surname).toBe(a.child.surname);
    expect(Object.isFrozen(a.child.surname)).toBe(true);
    expect(Object.isFrozen(a.child.surname!.phonetic)).toBe(true);
    expect(a.child.surname).toEqual(nameForms('Нұрсұлтанова'));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.

const combining = fc.integer({ min: 0x300, max: 0x36f }).map((c) => String.fromCodePoint(c));
const kazakhLetters = 'әғқңөұүһі';
const russianLetters = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя';
const nameChar = fc.oneof(
  fc.constantFrom(...`${kazakhLetters}${russianLetters}${russianLetters.toUpperCase()}ӘҒҚҢӨҰҮҺІabcdefghijklmnopqrstuvwxyzAEIOUäğñöūüşıçİ -'`),
  combining,
);
/** Anything: graphemes, any code point (lone surrogates too), names with stray combining marks, long strings. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: nameChar, maxLength: 40 }),
  fc.string({ unit: nameChar, minLength: 190, maxLength: 260 }),
);

describe('name forms (properties)', () => {
  it('never throw, and every form is bounded', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const f = nameForms(text);
        latinOf(text);
        queryTokens(text);
        if (f === undefined) return;
        expect(f.written.length).toBeLessThanOrEqual(maxNameInput);
        expect(f.written).toBe(f.written.trim());
        expect(f.written).toBe(f.written.normalize('NFC'));
        expect(f.exact.length).toBeLessThanOrEqual(3 * maxNameInput);
        expect(f.latin.length).toBeLessThanOrEqual(4 * maxNameInput);
        expect(f.match.length).toBeGreaterThan(0);
        expect(f.match.length).toBeLessThanOrEqual(4 * maxNameInput);
        expect(f.phonetic.length).toBeGreaterThanOrEqual(1);
        expect(f.phonetic.length).toBeLessThanOrEqual(2);
        for (const key of f.phonetic) {
          expect(key.length).toBeGreaterThan(0);
          expect(key.length).toBeLessThanOrEqual(2 * f.match.length + 1);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  // (Within the 200 characters a name is read to: a form may be longer than its name.)
  it('the match form is a fixed point: its own match form, with the same keys', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const f = nameForms(text);
        if (f === undefined || f.match.length > maxNameInput) return;
        const again = forms(f.match);
        expect(again.match).toBe(f.match);
        expect(again.phonetic).toEqual(f.phonetic);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the document Latin is a fixed point of latinOf', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const latin = latinOf(text);
        if (latin.length <= maxNameInput) expect(latinOf(latin)).toBe(latin);
      }),
    );
  });

  it('blank is undefined: nothing but spaces, punctuation and marks', () => {
    const blankChar = fc.oneof(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000', '\u200b', '-', '—', '.', ',', "'", '(', ')', '/', '№'), combining);
    fc.assert(
      fc.property(fc.string({ unit: blankChar, maxLength: 30 }), (text) => {
        expect(nameForms(text)).toBeUndefined();
      }),
    );
  });

  const word = (letters: string) => fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 12 });
  const cased = (w: fc.Arbitrary<string>) =>
    fc.tuple(w, fc.constantFrom('lower', 'title', 'upper')).map(([s, c]) =>
      c === 'upper' ? s.toUpperCase() : c === 'title' ? s[0]!.toUpperCase() + s.slice(1) : s,
    );
  const cyrillicName = fc.array(cased(word(`${kazakhLetters}${russianLetters}`)), { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));

  it('the case of Cyrillic letters does not matter', () => {
    fc.assert(
      fc.property(cyrillicName, (name) => {
        const f = nameForms(name);
        if (f === undefined) return;
        expect(forms(name.toUpperCase()).match).toBe(f.match);
        expect(forms(name.toLowerCase()).match).toBe(f.match);
      }),
    );
  });

  it('Kazakh letters typed as their Russian look-alikes give the same match form', () => {
    const lookAlike: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };
    fc.assert(
      fc.property(cyrillicName, (name) => {
        const f = nameForms(name);
        if (f === undefined) return;
        const folded = name.replace(/[әғқңөұүһі]/giu, (c) => {
          const r = lookAlike[c.toLowerCase()]!;
          return c === c.toLowerCase() ? r : r.toUpperCase();
        });
        expect(forms(folded).match).toBe(f.match);
      }),
    );
  });

  /**
   * A name and its document Latin meet: what a passport or a Kazakh 2021 spelling says is the
   * same name as the Cyrillic record. Where they cannot (documented in names.ts) the generators
   * leave the letters out: Russian ъ (ICAO "ie") and ы before е/ё/э/о ("ye", "yo" read as е);
   * in Kazakh words ё, щ (no 2021 letter), and every Kazakh word has a letter only Kazakh 2021
   * has (ä ğ ñ ö ū ü): a word whose only Kazakh letters are қ, һ (or і, in capitals: I is also
   * the capital of i) reads "sh" as ш and "gh" as г.
   */
  it('a Russian or Kazakh name and its document Latin share the match form and keys', () => {
    const russianWord = cased(word(russianLetters.replace('ъ', ''))).filter((w) => !/ы[ь]*[еёэо]/iu.test(w));
    const kazakhWord = cased(
      fc
        .tuple(word('абвгдежзийклмнопрстуфхцчшыьэюяәғқңөұүһі'), fc.constantFrom(...'әғңөұү'), word('абвгдежзийклмнопрстуфхцчшыьэюяәғқңөұүһі'))
        .map(([a, b, c]) => a + b + c),
    );
    const name = fc.array(fc.oneof(russianWord, kazakhWord), { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(name, (written) => {
        const f = nameForms(written);
        if (f === undefined) return;
        const fromLatin = forms(f.latin);
        expect(fromLatin.match).toBe(f.match);
        expect(fromLatin.phonetic).toEqual(f.phonetic);
      }),
      { numRuns: 2_000 },
    );
  });
});
