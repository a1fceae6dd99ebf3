/**
 * The letter tables names.ts works from: two document transliterations (Kazakh Latin 2021 for
 * Kazakh words, ICAO 9303 for Russian ones) and the folds that make the match form. Lower-case
 * keys only; names.ts lower-cases first and restores capitals itself.
 *
 * Kazakh Latin alphabet, January 2021 version (31 letters: A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö
 * P Q R S Ş T U Ū Ü V Y Z), the version of 28 January 2021 (presented to the President that day,
 * then put to public discussion). There is no copy in ../shared/reference; the letters were
 * checked against:
 * - Wikipedia, "Kazakh alphabets" (section "Latin script", 2021 column, and its transliterated
 *   sample text "Būryñğy ötken zamanda, bır danyşpan kısı … syi berıp"), which says the 2021
 *   alphabet is close to Turkish "though lacking the letters C and Ç and having four additional
 *   letters: Ä, Ñ, Q and Ū";
 * - the comparison table of the npm package qazlatyn-db 4.0.0 (README, "Latin 2021 approved
 *   version" column);
 * - Anadolu Agency, "Kazakhstan opens new Latin alphabet to public opinion" (31 letters,
 *   "ö, ğ, ü, ş").
 * Confirmed by those sources: А a, Ә ä, Б b, В v, Г g, Ғ ğ, Д d, Е e, Ж j, З z, И i (İ), Й i (İ),
 * І ı (I), К k, Қ q, Л l, М m, Н n, Ң ñ, О o, Ө ö, П p, Р r, С s, Т t, У u, Ұ ū, Ү ü, Ф f, Х h,
 * Һ h, Ш ş, Ы y; Ч ch (qazlatyn-db only; the alphabet has no C or Ç, so the "Ч→Ç" of earlier
 * drafts is NOT the 2021 letter). NOT confirmed, our own choice for letters the 31-letter alphabet
 * leaves out (they occur in loanwords): Ц ts, Щ şş (the long ş it stands for), Ё io, Ю iu, Я ia,
 * Э e, Ъ and Ь dropped. We found no text of a decree itself, only these descriptions of it.
 */
export const kazakhLatin2021: Readonly<Record<string, string>> = {
  а: 'a', ә: 'ä', б: 'b', в: 'v', г: 'g', ғ: 'ğ', д: 'd', е: 'e', ё: 'io', ж: 'j', з: 'z',
  и: 'i', й: 'i', і: 'ı', к: 'k', қ: 'q', л: 'l', м: 'm', н: 'n', ң: 'ñ', о: 'o', ө: 'ö',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'ū', ү: 'ü', ф: 'f', х: 'h', һ: 'h', ц: 'ts',
  ч: 'ch', ш: 'ş', щ: 'şş', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

/**
 * Capitals where toUpperCase() of the small letter is wrong: Kazakh 2021 writes И/Й as dotted
 * İ and І as plain I (small ı), as Turkish does, so 'i'.toUpperCase() = 'I' would say І.
 */
export const kazakhLatin2021Capitals: Readonly<Record<string, string>> = {
  и: 'İ', й: 'İ', ё: 'İo', ю: 'İu', я: 'İa',
};

/**
 * ICAO Doc 9303 part 3 (machine readable travel documents), the transliteration of Cyrillic on
 * Kazakh and Russian passports: Ж ZH, Х KH, Ц TS, Ч CH, Ш SH, Щ SHCH, Ъ IE, Ы Y, Ь dropped,
 * Ю IU, Я IA, Ё and Э E, Й I; with its Ukrainian and Belarusian letters (Ґ G, Є IE, Ї I, Ў U).
 */
export const icao9303: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i',
  к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f',
  х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: 'ie', ы: 'y', ь: '', э: 'e', ю: 'iu',
  я: 'ia', ґ: 'g', є: 'ie', і: 'i', ї: 'i', ў: 'u',
};

/** The letters that make a word Kazakh (the Russian alphabet has none of them). */
export const kazakhOnlyLetters = 'әғқңөұүһі';

/**
 * Match-form letters of Cyrillic, as Russian Cyrillic: Kazakh letters first folded to their
 * Russian look-alikes (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и), then the letters that
 * spellings confuse merged: ё/э→е, й/ы→и, щ→шч (ICAO shch), ю→иу, я→иа (ICAO iu, ia), ъ/ь dropped.
 * What is left is rendered by matchLatin.
 */
export const cyrillicToMatch: Readonly<Record<string, string>> = {
  а: 'а', ә: 'а', б: 'б', в: 'в', г: 'г', ғ: 'г', ґ: 'г', д: 'д', е: 'е', ё: 'е', є: 'е',
  э: 'е', ж: 'ж', з: 'з', и: 'и', й: 'и', і: 'и', ї: 'и', ы: 'и', к: 'к', қ: 'к', л: 'л',
  м: 'м', н: 'н', ң: 'н', о: 'о', ө: 'о', п: 'п', р: 'р', с: 'с', т: 'т', у: 'у', ұ: 'у',
  ү: 'у', ў: 'у', ф: 'ф', х: 'х', һ: 'х', ц: 'ц', ч: 'ч', ш: 'ш', щ: 'шч', ъ: '', ь: '',
  ю: 'иу', я: 'иа',
};

/** The match form's Latin, one canonical (ICAO-like) spelling per match letter. */
export const matchLatin: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh',
};

/**
 * Latin letters with diacritics, and the few without a decomposition, as plain ASCII: Kazakh 2021
 * and Turkish-style letters first (ş→sh, ç→ch, ı→i; ä ğ ñ ö ū ü lose their marks, q stays a
 * letter of its own and is folded with k later). Other accented letters lose their marks by
 * canonical decomposition (é→e), computed in names.ts.
 */
export const latinSpecial: Readonly<Record<string, string>> = {
  ş: 'sh', ç: 'ch', ı: 'i', ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', þ: 'th', ð: 'd',
  ŋ: 'n',
};

/**
 * Letters that look the same in both scripts, for a word typed partly on the wrong keyboard
 * layout ("Aхметов" with a Latin A, "Айгерiм" with a Latin i for і): in a word that is mostly
 * Cyrillic the Latin look-alike is read as the Cyrillic letter, and the other way round. Case
 * matters: only capital B, H, M, T look like В, Н, М, Т.
 */
export const latinLooksCyrillic: Readonly<Record<string, string>> = {
  A: 'А', a: 'а', B: 'В', C: 'С', c: 'с', E: 'Е', e: 'е', H: 'Н', I: 'І', i: 'і', K: 'К',
  k: 'к', M: 'М', O: 'О', o: 'о', P: 'Р', p: 'р', T: 'Т', X: 'Х', x: 'х', Y: 'У', y: 'у',
};
export const cyrillicLooksLatin: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(latinLooksCyrillic).map(([latin, cyrillic]) => [cyrillic, latin]),
);
