import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The anti-CSRF form token: an HMAC of the signed-in user and the link's token id under the signing
 * key. A forged cross-site form cannot know it, and it is useless for another user or another link.
 */
export function csrfToken(key: Uint8Array, principalId: string, tokenId: string): string {
  return createHmac('sha256', key).update(`csrf\u0000${principalId}\u0000${tokenId}`).digest('base64url');
}

export function csrfMatches(key: Uint8Array, principalId: string, tokenId: string, sent: string): boolean {
  const expected = Buffer.from(csrfToken(key, principalId, tokenId));
  const actual = Buffer.from(sent);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
