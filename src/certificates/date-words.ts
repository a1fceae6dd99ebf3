/**
 * A date written in words, as a Kazakhstan birth certificate writes the date of birth beside its
 * digits ("прописью"): the words are harder to alter than digits. For the field builder to give as
 * the per-language value of `child.dateOfBirth`. Dates from 1900 to 2099 (the register's range).
 *
 *   kk: екі мың жиырма алтыншы жылғы он екінші наурыз   (year, day, month: "2026 жылғы 12 наурыз")
 *   ru: двенадцатое марта две тысячи двадцать шестого года
 *   en: 12 March 2026
 */
export function dateInWords(isoDate: string): { kk: string; ru: string; en: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || year < 1900 || year > 2099 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date between 1900 and 2099: ${isoDate}`);
  }
  return {
    kk: `${kazakhYear(year)} жылғы ${kazakhOrdinal(kazakhCardinal(day))} ${kazakhMonths[month - 1]}`,
    ru: `${russianDay(day)} ${russianMonths[month - 1]} ${russianYear(year)} года`,
    en: `${day} ${englishMonths[month - 1]} ${year}`,
  };
}

const kazakhMonths = ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'];
const kazakhUnits = ['', 'бір', 'екі', 'үш', 'төрт', 'бес', 'алты', 'жеті', 'сегіз', 'тоғыз'];
const kazakhTens = ['', 'он', 'жиырма', 'отыз', 'қырық', 'елу', 'алпыс', 'жетпіс', 'сексен', 'тоқсан'];
/** Only the last word of a Kazakh number takes the ordinal suffix (-ыншы/-інші after a consonant, -ншы/-нші after a vowel). */
const kazakhOrdinals: Record<string, string> = {
  бір: 'бірінші',
  екі: 'екінші',
  үш: 'үшінші',
  төрт: 'төртінші',
  бес: 'бесінші',
  алты: 'алтыншы',
  жеті: 'жетінші',
  сегіз: 'сегізінші',
  тоғыз: 'тоғызыншы',
  он: 'оныншы',
  жиырма: 'жиырмасыншы',
  отыз: 'отызыншы',
  қырық: 'қырқыншы',
  елу: 'елуінші',
  алпыс: 'алпысыншы',
  жетпіс: 'жетпісінші',
  сексен: 'сексенінші',
  тоқсан: 'тоқсаныншы',
  жүз: 'жүзінші',
  мың: 'мыңыншы',
};

/** 1–99 in words. */
function kazakhCardinal(n: number): string {
  return [kazakhTens[Math.floor(n / 10)], kazakhUnits[n % 10]].filter(Boolean).join(' ');
}

function kazakhOrdinal(cardinal: string): string {
  const words = cardinal.split(' ');
  words[words.length - 1] = kazakhOrdinals[words.at(-1)!]!;
  return words.join(' ');
}

function kazakhYear(year: number): string {
  const rest = year % 100;
  const head = year < 2000 ? 'мың тоғыз жүз' : 'екі мың';
  return kazakhOrdinal(rest ? `${head} ${kazakhCardinal(rest)}` : head);
}

const russianMonths = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const russianTensCardinal = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
/** Ordinals 1–19 and the round tens, as stems: + "ое" (the day, neuter) or + "ого" (the year, genitive). */
const russianOrdinalStems = [
  '',
  'перв',
  'втор',
  'трет',
  'четвёрт',
  'пят',
  'шест',
  'седьм',
  'восьм',
  'девят',
  'десят',
  'одиннадцат',
  'двенадцат',
  'тринадцат',
  'четырнадцат',
  'пятнадцат',
  'шестнадцат',
  'семнадцат',
  'восемнадцат',
  'девятнадцат',
];
const russianTensOrdinalStems = ['', 'десят', 'двадцат', 'тридцат', 'сороков', 'пятидесят', 'шестидесят', 'семидесят', 'восьмидесят', 'девяност'];

/** 1–99 as an ordinal with `ending` ("ое" or "ого"); третий declines softly (третье, третьего). */
function russianOrdinal(n: number, ending: 'ое' | 'ого'): string {
  const word = (stem: string) => (stem === 'трет' ? (ending === 'ое' ? 'третье' : 'третьего') : stem + ending);
  if (n < 20) return word(russianOrdinalStems[n]!);
  const tens = Math.floor(n / 10);
  const units = n % 10;
  return units ? `${russianTensCardinal[tens]} ${word(russianOrdinalStems[units]!)}` : word(russianTensOrdinalStems[tens]!);
}

const russianDay = (day: number) => russianOrdinal(day, 'ое');

function russianYear(year: number): string {
  const rest = year % 100;
  if (year === 2000) return 'двухтысячного';
  if (year === 1900) return 'тысяча девятисотого';
  return `${year < 2000 ? 'тысяча девятьсот' : 'две тысячи'} ${russianOrdinal(rest, 'ого')}`;
}

const englishMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
