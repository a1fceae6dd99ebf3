import { fileURLToPath } from 'node:url';
import { loadPack } from '../src/places/pack.ts';
import { loadPackIntoDb, searchPlaces } from '../src/places/store.ts';
import { percentile, report, round, scratchDb, serverAvailable } from './support.ts';
import { withSyntheticPlaces } from './synthetic-places.ts';

/** Prefix search latency over a national-size list of 150,000 places, in the three languages. */
export async function benchPlaces(count = 150_000, searches = 2_000): Promise<void> {
  const pack = withSyntheticPlaces(loadPack('kz'), count);
  const drivers: ('pglite' | 'postgres')[] = ['pglite'];
  if (await serverAvailable()) drivers.push('postgres');
  const prefixes = [
    'а',
    'ал',
    'алм',
    'қар',
    'kar',
    'kyz',
    'sary',
    'ак',
    'су',
    'z',
    'zhana',
    'бес',
    'tas',
    'ко',
    'medeu',
    'ш',
  ];
  for (const driver of drivers) {
    const scratch = await scratchDb(driver);
    const t0 = performance.now();
    await loadPackIntoDb(scratch.db, pack);
    report(`places.load_${pack.places.length}.${driver}.s`, round((performance.now() - t0) / 1000, 1));
    const latencies: number[] = [];
    for (let i = 0; i < searches; i++) {
      const q = prefixes[i % prefixes.length]!;
      const within = i % 4 === 0 ? '610000000' : undefined;
      const start = performance.now();
      await searchPlaces(scratch.db, { q, limit: 20, within });
      latencies.push(performance.now() - start);
    }
    latencies.sort((a, b) => a - b);
    report(`places.search.${driver}.p50_ms`, round(percentile(latencies, 50)));
    report(`places.search.${driver}.p95_ms`, round(percentile(latencies, 95)));
    await scratch.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchPlaces();
