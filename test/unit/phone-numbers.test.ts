import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalisePhoneNumber } from '../../shared/contacts/phone-numbers.js';

/** An E.164 number: `+`, a non-zero first digit, 8 to 15 digits in all. */
const e164 = fc
  .tuple(fc.constantFrom(...'123456789'), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 7, maxLength: 14 }))
  .map(([first, rest]) => `+${first}${rest}`);

const separator = fc.constantFrom(' ', '-', '.', '(', ')', '[', ']', '\u2013', '\u00a0');

/** The number as people write it: separators between any of its characters. */
const written = (number: string) =>
  fc
    .array(fc.string({ unit: separator, maxLength: 2 }), { minLength: number.length + 1, maxLength: number.length + 1 })
    .map((gaps) => gaps.map((gap, i) => gap + (number[i] ?? '')).join(''));

describe('Phone and SMS numbers are written in E.164', () => {
  it.each([
    ['+49 (30) 1234-5678', '+493012345678'],
    ['+1 415.555.0100', '+14155550100'],
    ['  +44 20 7946 0958 ', '+442079460958'],
    ['+12345678', '+12345678'],
    ['+123456789012345', '+123456789012345'],
  ])('%s → %s', (input, expected) => {
    expect(normalisePhoneNumber(input)).toBe(expected);
  });

  it.each([
    ['no leading +', '0049 30 12345678'],
    ['a national number', '030 12345678'],
    ['letters', '+1 800 FLOWERS'],
    ['7 digits', '+1234567'],
    ['16 digits', '+1234567890123456'],
    ['a country code starting with 0', '+0123456789'],
    ['two pluses', '++4930123456'],
    ['an extension', '+4930123456 ext 12'],
    ['nothing', ''],
  ])('refuses %s (%s)', (_, input) => {
    expect(normalisePhoneNumber(input)).toBeUndefined();
  });

  it('reads any E.164 number back whatever spaces, dashes, dots and brackets surround its digits', () => {
    fc.assert(
      fc.property(
        e164.chain((number) => written(number).map((text) => ({ number, text }))),
        ({ number, text }) => {
          expect(normalisePhoneNumber(text)).toBe(number);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('only ever answers a well-formed E.164 number, and answers it unchanged when asked again', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'+0123456789 -.()abcx#*'), maxLength: 24 }), (input) => {
        const number = normalisePhoneNumber(input);
        if (number === undefined) return;
        expect(number).toMatch(/^\+[1-9]\d{7,14}$/);
        expect(normalisePhoneNumber(number)).toBe(number);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses anything with a letter or symbol in it', () => {
    fc.assert(
      fc.property(e164, fc.nat(), fc.constantFrom(...'aZx#*/,;'), (number, at, intruder) => {
        const i = 1 + (at % number.length);
        expect(normalisePhoneNumber(number.slice(0, i) + intruder + number.slice(i))).toBeUndefined();
      }),
    );
  });
});
