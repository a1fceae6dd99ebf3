/** Type parsers shared by both drivers, so a row looks the same whichever database produced it. */
export const oids = { int8: 20, date: 1082, numeric: 1700 } as const;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Error('int8 value beyond 2^53: select it as text (e.g. amount::text) and use BigInt');
  }
  return value;
}

export const identity = (text: string): string => text;
