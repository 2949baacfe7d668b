import { describe, expect, it } from 'vitest';
import { Email } from '../../../contracts/common.ts';
import { isFreeMailDomain } from './free-mail.ts';
import { normalizeEmail } from './rows.ts';
import { suggestMapping, validateMapping } from './targets.ts';
import { detectDelimiter } from './csv-file.ts';

describe('normalizeEmail', () => {
  it('accepts and rejects exactly what the contract Email accepts', () => {
    const samples = [
      'ada@acme.com', ' Ada@ACME.com ', 'a.b+c@sub.acme.co.uk', "o'brien@acme.ie", 'a@b', 'a@b.c', '@acme.com', 'ada@', 'ada acme@x.com',
      'ada@@acme.com', 'ada..x@acme.com', '.ada@acme.com', 'ada.@acme.com', 'ada@-acme.com', 'ada@acme-.com', 'ünï@acme.com', 'x@xn--bcher-kva.com',
      `${'a'.repeat(250)}@x.com`, '=cmd@x.com', 'a_b@c_d.com', '', '   ',
    ];
    for (const s of samples) {
      const z = Email.safeParse(s);
      expect(normalizeEmail(s), s).toBe(z.success ? z.data : null);
    }
  });
});

describe('isFreeMailDomain', () => {
  it('knows the common free-mail providers, including every gmx.* domain', () => {
    for (const d of ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'proton.me', 'gmx.de', 'gmx.net', 'gmx.at', 'web.de', 'yahoo.co.uk']) {
      expect(isFreeMailDomain(d), d).toBe(true);
    }
    for (const d of ['acme.com', 'gmxtools.com', 'mygmail.com']) expect(isFreeMailDomain(d), d).toBe(false);
  });
});

describe('suggestMapping', () => {
  it('matches headers case-, space- and punctuation-insensitively, each target once', () => {
    const props = [{ key: 'lead_score', label: 'Lead Score', type: 'number' as const, options: null }];
    expect(
      suggestMapping('contacts', ['E-mail', 'Email Address', 'FIRST NAME', 'last_name', 'Job Title', 'Company', 'Company Domain', 'Lead Score', 'lifecycle stage', 'Notes'], props),
    ).toEqual({
      'E-mail': 'email',
      'Email Address': null,
      'FIRST NAME': 'firstName',
      last_name: 'lastName',
      'Job Title': 'title',
      Company: 'accountName',
      'Company Domain': 'accountDomain',
      'Lead Score': 'property:lead_score',
      'lifecycle stage': 'lifecycleStage',
      Notes: null,
    });
    expect(suggestMapping('accounts', ['Company Name', 'Website', 'Employees'], [])).toEqual({ 'Company Name': 'name', Website: 'domain', Employees: 'employeeCount' });
  });

  it('validateMapping fills unmapped headers with null', () => {
    expect(validateMapping('contacts', ['a', 'b'], { a: 'email' }, [])).toEqual({ a: 'email', b: null });
  });
});

describe('detectDelimiter', () => {
  it('picks the delimiter of the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('email;first name;"a,b,c"\n1,2,3,4')).toBe(';');
    expect(detectDelimiter('email,first name\n')).toBe(',');
    expect(detectDelimiter('email\tname\n')).toBe('\t');
    expect(detectDelimiter('email\n')).toBe(',');
  });
});
