import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candidateTexts, cleanPasted, payloadFromHash } from './payload.ts';

const base45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const payload = fc.string({ unit: fc.constantFrom(...base45), minLength: 1, maxLength: 80 });

describe('a pasted or scanned text', () => {
  it('loses the line ends, tabs and invisible marks around it', () => {
    expect(cleanPasted('\r\nKZ1:ABC\n')).toBe('KZ1:ABC');
    expect(cleanPasted('\ufeffKZ1:ABC\u200b')).toBe('KZ1:ABC');
  });

  it('keeps every Base45 character, spaces at either end included', () => {
    fc.assert(fc.property(payload, (text) => cleanPasted(`\n${text}\r\n`) === text));
    expect(cleanPasted(' KZ1:A B ')).toBe(' KZ1:A B ');
  });
});

describe('the payload a verification link carries', () => {
  it('is what follows the "#"', () => {
    expect(payloadFromHash('#KZ1:6BF+70')).toBe('KZ1:6BF+70');
    expect(payloadFromHash('KZ1:6BF+70')).toBe('KZ1:6BF+70');
  });

  it('is nothing when the link has no fragment', () => {
    expect(payloadFromHash('')).toBeNull();
    expect(payloadFromHash('#')).toBeNull();
    expect(payloadFromHash('#\n')).toBeNull();
  });
});

describe('the readings of a text worth verifying', () => {
  it('start with the text exactly as given, and never repeat', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const readings = candidateTexts(text);
        expect(readings[0]).toBe(text);
        expect(new Set(readings).size).toBe(readings.length);
        expect(readings.length).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('read a space the address bar wrote as %20', () => {
    expect(candidateTexts('KZ1:AB%20CD')).toEqual(['KZ1:AB%20CD', 'KZ1:AB CD']);
  });

  it('decode a link whose colon a messenger encoded', () => {
    expect(candidateTexts('KZ1%3AABC')).toEqual(['KZ1%3AABC', 'KZ1:ABC']);
  });

  it('leave a lone per cent sign alone: it is a Base45 character', () => {
    expect(candidateTexts('KZ1:A%B')).toEqual(['KZ1:A%B']);
    expect(candidateTexts('KZ1:A%ZZ')).toEqual(['KZ1:A%ZZ']);
  });

  it('are the text alone when it holds no escape', () => {
    fc.assert(fc.property(payload.filter((text) => !/%[0-9A-F]{2}/i.test(text)), (text) => candidateTexts(text).length === 1));
  });
});
