import { describe, expect, it } from 'vitest';
import { parseSigningKey } from '../../../core/approvals/approval-signing-key';

describe('approval signing key', () => {
  it('when the key is missing or shorter than 32 bytes, then the error names the setting and the rule', () => {
    expect(parseSigningKey(undefined)).toEqual({
      error: expect.stringContaining('APPROVAL_SIGNING_KEY: required'),
    });
    expect(parseSigningKey('short-key')).toEqual({
      error: 'APPROVAL_SIGNING_KEY: must be at least 32 bytes, got 9',
    });
  });

  it('when the key is text of 32 bytes or base64-prefixed, then it becomes key bytes', () => {
    expect(parseSigningKey('x'.repeat(32))).toHaveLength(32);
    const key = parseSigningKey(`base64:${Buffer.alloc(48, 7).toString('base64')}`);
    expect(key).toBeInstanceOf(Uint8Array);
    expect(Array.from(key as Uint8Array).every((b) => b === 7)).toBe(true);
    expect(parseSigningKey('base64:!!!')).toEqual({ error: expect.stringContaining('base64') });
  });
});
