/**
 * KATO codes are 9 digits, AB CD EF HIJ: region, district, rural okrug or town, settlement. A unit's
 * own code is its significant digits followed by zeros, so "inside" is a prefix test on the
 * significant digits. These rules are pure: access scoping runs them on every request.
 */
const levelDigits = [2, 4, 6, 9] as const;

export type PlaceLevel = 'region' | 'district' | 'okrug' | 'settlement';

const levelNames: readonly PlaceLevel[] = ['region', 'district', 'okrug', 'settlement'];

export function isPlaceCode(code: string): boolean {
  return /^\d{9}$/.test(code);
}

/** The digits that identify the unit: '750000000' → '75', '751200000' → '7512'. */
export function significantPrefix(code: string): string {
  for (const digits of levelDigits) {
    if (/^0*$/.test(code.slice(digits))) return code.slice(0, digits);
  }
  return code;
}

/** The level a code's shape implies. */
export function levelOf(code: string): PlaceLevel {
  return (
    levelNames[levelDigits.indexOf(significantPrefix(code).length as (typeof levelDigits)[number])] ??
    'settlement'
  );
}

/** Whether `code` is `ancestor` itself or lies inside it. */
export function isWithin(ancestor: string, code: string): boolean {
  return code.startsWith(significantPrefix(ancestor));
}

/** The codes of the units that contain `code`, from the region down, excluding the code itself. */
export function ancestorCodes(code: string): string[] {
  const prefix = significantPrefix(code);
  return levelDigits
    .filter((d) => d < prefix.length)
    .map((d) => prefix.slice(0, d).padEnd(9, '0'))
    .filter((c) => c !== code);
}
