import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as z from 'zod';
import { deriveDisplayName } from '../../shared/end-users/display-name.js';

describe('Deriving an end user’s name from their email address', () => {
  it.each([
    ['claire.johnson@myorg.org', 'Claire', 'Johnson'],
    ['c.johnson@myorg.org', 'C', 'Johnson'],
    ['clairejohnson@myorg.org', 'Clairejohnson', 'Clairejohnson'],
    ['anna.maria.schmidt@x.de', 'Anna', 'Maria Schmidt'],
    ['CLAIRE.JOHNSON@MYORG.ORG', 'Claire', 'Johnson'],
    ['claire.johnson+support@myorg.org', 'Claire', 'Johnson'],
    ['mary-jane.o_neil@x.io', 'Mary-jane', 'O_neil'],
    ['.hidden@x.io', 'Hidden', 'Hidden'],
    ['trailing.@x.io', 'Trailing', 'Trailing'],
    ['a..b@x.io', 'A', 'B'],
    ['+.+@a.aa', 'Customer', 'Customer'],
  ])('%s → %s / %s', (email, firstName, lastName) => {
    expect(deriveDisplayName(email)).toEqual({ firstName, lastName });
  });

  it('never throws and never yields an empty name for any valid address', () => {
    const valid = z.email();
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        fc.pre(valid.safeParse(email).success);
        const { firstName, lastName } = deriveDisplayName(email);
        expect(firstName.trim()).not.toBe('');
        expect(lastName.trim()).not.toBe('');
      }),
      { numRuns: 500 },
    );
  });
});
