import type { CountryPack, Place } from '../src/places/pack.ts';

/**
 * A deterministic national-size place list under the pack's real regions: districts, okrugs and
 * settlements with plausible Kazakh, Russian and Latin names, as many as asked (≈150,000 is a real
 * KATO list). For benchmarks and scale tests.
 */
const stems = [
  ['Ақ', 'Ак', 'Ak'],
  ['Қара', 'Кара', 'Kara'],
  ['Көк', 'Кок', 'Kok'],
  ['Сары', 'Сары', 'Sary'],
  ['Жаңа', 'Жана', 'Zhana'],
  ['Тас', 'Тас', 'Tas'],
  ['Бес', 'Бес', 'Bes'],
  ['Қызыл', 'Кызыл', 'Kyzyl'],
  ['Алтын', 'Алтын', 'Altyn'],
  ['Ұзын', 'Узын', 'Uzyn'],
  ['Шағала', 'Шагала', 'Shagala'],
  ['Бота', 'Бота', 'Bota'],
  ['Ерназар', 'Ерназар', 'Yernazar'],
  ['Жібек', 'Жибек', 'Zhibek'],
];
const ends = [
  ['су', 'су', 'su'],
  ['тау', 'тау', 'tau'],
  ['бұлақ', 'булак', 'bulak'],
  ['көл', 'коль', 'kol'],
  ['қайың', 'кайын', 'kaiyn'],
  ['дала', 'дала', 'dala'],
  ['терек', 'терек', 'terek'],
  ['жар', 'жар', 'zhar'],
  ['өзек', 'озек', 'ozek'],
  ['бел', 'бел', 'bel'],
];

function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function syntheticPlaces(regions: readonly Place[], count: number, seed = 42): Place[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const name = (suffix: readonly [string, string, string]) => {
    const [s, e] = [pick(stems), pick(ends)];
    return {
      kk: `${s[0]}${e[0]} ${suffix[0]}`,
      ru: `${s[1]}${e[1]} ${suffix[1]}`,
      en: `${s[2]}${e[2]} ${suffix[2]}`,
    };
  };
  const places: Place[] = [];
  const base = { population: null, crudeBirthRate: null };
  // District digits from 50 on stay clear of the pack's own districts.
  outer: for (let d = 50; d < 100; d++) {
    for (const region of regions) {
      const district = `${region.kato.slice(0, 2)}${d}00000`;
      places.push({
        ...base,
        kato: district,
        parentKato: region.kato,
        level: 'district',
        kind: 'district',
        name: name(['ауданы', 'район', 'District']),
      });
      for (let o = 1; o <= 30; o++) {
        const okrug = `${district.slice(0, 4)}${String(o).padStart(2, '0')}000`;
        places.push({
          ...base,
          kato: okrug,
          parentKato: district,
          level: 'okrug',
          kind: 'rural_okrug',
          name: name(['ауылдық округі', 'сельский округ', 'Rural Okrug']),
        });
        for (let v = 1; v <= 10; v++) {
          places.push({
            ...base,
            kato: `${okrug.slice(0, 6)}${String(v).padStart(3, '0')}`,
            parentKato: okrug,
            level: 'settlement',
            kind: 'village',
            name: name(['ауылы', 'село', 'village']),
          });
          if (places.length >= count) break outer;
        }
      }
    }
  }
  return places;
}

/** The pack with `count` synthetic places added below its own. */
export function withSyntheticPlaces(pack: CountryPack, count: number): CountryPack {
  const regions = pack.places.filter((p) => p.level === 'region');
  return { ...pack, places: [...pack.places, ...syntheticPlaces(regions, count)] };
}
