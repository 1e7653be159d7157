import { describe, expect, it } from 'vitest';
import { principalOf } from '../../../functions/http/principal';

function headersOf(values: Record<string, string>): { headers: Headers } {
  return { headers: new Headers(values) };
}

const encoded = (claims: Record<string, string>): string =>
  Buffer.from(
    JSON.stringify({ claims: Object.entries(claims).map(([typ, val]) => ({ typ, val })) }),
  ).toString('base64');

describe('who is signed in (one reading for the API and the approval page)', () => {
  it('when the platform sends the id and name headers, then they are the person, whatever the token says', () => {
    const request = headersOf({
      'x-ms-client-principal-id': 'oid-1',
      'x-ms-client-principal-name': 'alice@contoso.com',
      'x-ms-client-principal': encoded({ oid: 'other', preferred_username: 'other@contoso.com' }),
    });
    expect(principalOf(request)).toEqual({ id: 'oid-1', name: 'alice@contoso.com' });
  });

  it('when only the token is sent, then the id is its object id and the name its preferred_username before name', () => {
    const request = headersOf({
      'x-ms-client-principal': encoded({
        name: 'Alice Smith',
        preferred_username: 'alice@contoso.com',
        'http://schemas.microsoft.com/identity/claims/objectidentifier': 'oid-1',
      }),
    });
    expect(principalOf(request)).toEqual({ id: 'oid-1', name: 'alice@contoso.com' });
  });

  it('when the token has a name but no id claim, or cannot be decoded, then nobody is signed in', () => {
    expect(principalOf(headersOf({ 'x-ms-client-principal': encoded({ name: 'Alice' }) }))).toBeUndefined();
    expect(
      principalOf(headersOf({ 'x-ms-client-principal': 'not json', 'x-ms-client-principal-id': 'oid-1' })),
    ).toBeUndefined();
    expect(principalOf(headersOf({}))).toBeUndefined();
  });
});
