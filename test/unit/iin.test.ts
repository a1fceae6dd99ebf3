import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDigit, checkIin, composeIin, iinPrefix, maxSerial, parseIinRules } from '../../src/births/iin.ts';
import { loadPack } from '../../src/places/pack.ts';

const rules = parseIinRules(loadPack('kz').settings.identityNumber);

describe('IIN rules (Kazakhstan pack)', () => {
  it('accepts the reference worked values and refuses the never-issued one', () => {
    expect(checkIin('791028302728', rules)).toMatchObject({ valid: true, dateOfBirth: '1979-10-28', sex: 'male' });
    expect(checkIin('061211600012', rules)).toMatchObject({ valid: true, dateOfBirth: '2006-12-11', sex: 'female' });
    expect(checkDigit('82121424009', rules)).toBeNull();
    expect(checkIin('821214240092', rules).problems.map((p) => p.code)).toContain('never_issued');
  });

  it('names what is wrong: format, century digit, check digit', () => {
    expect(checkIin('12345', rules).problems[0]!.code).toBe('format');
    expect(checkIin('79102830272a', rules).problems[0]!.code).toBe('format');
    expect(checkIin('791028302729', rules).problems.map((p) => p.code)).toEqual(['check_digit']);
    const zeroCentury = `7910280${'0272'}`;
    const c = checkDigit(zeroCentury, rules);
    if (c !== null) expect(checkIin(`${zeroCentury}${c}`, rules).problems.map((p) => p.code)).toEqual(['century_sex_digit']);
  });

  it('only warns when the date or sex does not match the holder', () => {
    const r = checkIin('791028302728', rules, { dateOfBirth: '1979-10-29', sex: 'female' });
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['date_mismatch', 'sex_mismatch']);
  });

  it('every composed IIN is valid and says the date and sex it was made from (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('male' as const, 'female' as const),
        fc.integer({ min: 1, max: maxSerial }),
        (date, sex, serial) => {
          const dob = date.toISOString().slice(0, 10);
          const iin = composeIin(iinPrefix(dob, sex, rules), serial, rules);
          if (iin === null) return;
          const check = checkIin(iin, rules, { dateOfBirth: dob, sex });
          expect(check).toMatchObject({ valid: true, dateOfBirth: dob, sex, warnings: [] });
        },
      ),
    );
  });

  it('catches a mistyped digit in nearly every case (property over random numbers and typos)', () => {
    // Not always: digit 11 has weight 11 ≡ 0 (mod 11) in the first pass, and a typo may move a
    // number onto the second pass. The check digit is a guard against slips, not a proof.
    let caught = 0;
    let tried = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (n, position, delta) => {
        const first11 = String(n).padStart(11, '0');
        const c = checkDigit(first11, rules);
        if (c === null) return;
        const iin = `${first11}${c}`;
        const typo = `${iin.slice(0, position)}${(Number(iin[position]) + delta) % 10}${iin.slice(position + 1)}`;
        tried++;
        if (!checkIin(typo, rules).valid) caught++;
      }),
      { numRuns: 5000 },
    );
    expect(caught / tried).toBeGreaterThan(0.85);
  });

  it('skips about 0.8% of serials, the ones that fail both passes', () => {
    let skipped = 0;
    const prefix = iinPrefix('2026-03-01', 'female', rules);
    for (let s = 1; s <= maxSerial; s++) if (composeIin(prefix, s, rules) === null) skipped++;
    expect(skipped / maxSerial).toBeGreaterThan(0.003);
    expect(skipped / maxSerial).toBeLessThan(0.02);
  });
});
