import { describe, expect, it } from 'vitest';
import { sniff } from './files.ts';

describe('what a chosen file is', () => {
  it('is read from its bytes, not its name', () => {
    expect(sniff(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]))).toBe('application/pdf');
    expect(sniff(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniff(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniff(new Uint8Array([0x3c, 0x68, 0x74, 0x6d, 0x6c]))).toBeUndefined();
    expect(sniff(new Uint8Array([]))).toBeUndefined();
  });
});
