import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  mintApprovalToken,
  verifyApprovalToken,
  type MintRequest,
} from '../../../core/approvals/approval-token';

const key = new TextEncoder().encode('k'.repeat(32));
const otherKey = new TextEncoder().encode('o'.repeat(32));
const now = new Date('2026-11-25T10:00:00Z');
const request: MintRequest = {
  runId: 'run-0001',
  stepId: 'approve',
  group: 'dr-leads',
  planHash: 'a'.repeat(64),
  tokenId: '6f1c2a9e-1111-4222-8333-944455556666',
  now,
  ttlMinutes: 30,
};
const later = (minutes: number): Date => new Date(now.getTime() + minutes * 60_000);
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

async function codeOf(token: string | undefined, at: Date = now): Promise<string> {
  const result = await verifyApprovalToken(token, key, at);
  return result.ok ? 'ok' : result.code;
}

describe('approval tokens', () => {
  it('when a token was minted with the key, then it verifies and carries run, step, group, plan hash and id', async () => {
    const token = await mintApprovalToken(key, request);
    const result = await verifyApprovalToken(token, key, later(5));
    expect(result).toMatchObject({
      ok: true,
      claims: {
        runId: 'run-0001',
        stepId: 'approve',
        group: 'dr-leads',
        planHash: 'a'.repeat(64),
        tokenId: request.tokenId,
      },
    });
    if (result.ok) expect(result.claims.expiresAt.toISOString()).toBe('2026-11-25T10:30:00.000Z');
  });

  it('when the token is signed with another key (forged), then it is refused as a bad signature', async () => {
    expect(await codeOf(await mintApprovalToken(otherKey, request))).toBe('signatureInvalid');
  });

  it('when the payload is altered to name another run, then the signature no longer verifies', async () => {
    const [header, payload, signature] = (await mintApprovalToken(key, request)).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const tampered = `${header}.${b64({ ...claims, run: 'run-9999' })}.${signature}`;
    expect(await codeOf(tampered)).toBe('signatureInvalid');
  });

  it('when the token says alg none (unsigned), then it is refused for that reason', async () => {
    const [, payload] = (await mintApprovalToken(key, request)).split('.');
    expect(await codeOf(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toBe('algorithmNone');
    expect(await codeOf(`${b64({ alg: 'None' })}.${payload}.`)).toBe('algorithmNone');
  });

  it('when the token uses another algorithm, even with the right key, then it is refused', async () => {
    const hs512 = await new SignJWT({ run: 'run-0001', step: 'approve', grp: 'dr-leads', ph: 'x' })
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuer('durable-recovery')
      .setAudience('durable-recovery/approve')
      .setJti('j')
      .setIssuedAt(now.getTime() / 1000)
      .setNotBefore(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 600)
      .sign(new TextEncoder().encode('k'.repeat(64)));
    expect(await codeOf(hs512)).toBe('algorithmNotAllowed');
  });

  it('when the token has expired (beyond the 60 s skew), then it is refused as expired', async () => {
    const token = await mintApprovalToken(key, request);
    expect(await codeOf(token, later(30.5))).toBe('ok');
    expect(await codeOf(token, later(32))).toBe('expired');
  });

  it('when the token is not valid yet, then it is refused', async () => {
    const token = await mintApprovalToken(key, { ...request, now: later(10) });
    expect(await codeOf(token, now)).toBe('notYetValid');
  });

  it('when the token was issued for another audience, then it is refused', async () => {
    const foreign = await new SignJWT({ run: 'run-0001', step: 'approve', grp: 'dr-leads', ph: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('durable-recovery')
      .setAudience('someone-else')
      .setJti('j')
      .setIssuedAt(now.getTime() / 1000)
      .setNotBefore(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 600)
      .sign(key);
    expect(await codeOf(foreign)).toBe('wrongAudience');
  });

  it('when a signed token lacks the run claim, then it is refused as incomplete', async () => {
    const partial = await new SignJWT({ step: 'approve', grp: 'dr-leads', ph: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('durable-recovery')
      .setAudience('durable-recovery/approve')
      .setJti('j')
      .setIssuedAt(now.getTime() / 1000)
      .setNotBefore(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 600)
      .sign(key);
    expect(await codeOf(partial)).toBe('claimsInvalid');
  });

  it('when the token is missing or not a JWT, then it is refused before any crypto', async () => {
    expect(await codeOf(undefined)).toBe('tokenMissing');
    expect(await codeOf('')).toBe('tokenMissing');
    expect(await codeOf('not-a-token')).toBe('tokenMalformed');
    expect(await codeOf('a.b.c')).toBe('tokenMalformed');
    expect(await codeOf('x'.repeat(5000))).toBe('tokenMalformed');
  });
});
