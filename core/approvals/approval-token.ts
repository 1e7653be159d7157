// Approval links carry an HS256 JWT bound to one run, one step, one approver group and one plan
// version. The clock is an argument (core reads no clock) and so is the token id (core makes no
// randomness): callers pass a random UUID.
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { refuse, type ApprovalRefusal } from './approval-refusal';

export const TOKEN_ISSUER = 'durable-recovery';
export const TOKEN_AUDIENCE = 'durable-recovery/approve';
/** Tolerated clock difference between the signer and the verifier. */
export const CLOCK_SKEW_SECONDS = 60;

/** What an approval token asserts. */
export interface ApprovalClaims {
  runId: string;
  stepId: string;
  group: string;
  /** sha256 of the plan source the run pinned. */
  planHash: string;
  /** Unique token id: the single-use marker and the approval event's id. */
  tokenId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface MintRequest {
  runId: string;
  stepId: string;
  group: string;
  planHash: string;
  tokenId: string;
  now: Date;
  /** Lifetime; keep it at most the approval step's timeout. */
  ttlMinutes: number;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export async function mintApprovalToken(key: Uint8Array, request: MintRequest): Promise<string> {
  const iat = seconds(request.now);
  return new SignJWT({ run: request.runId, step: request.stepId, grp: request.group, ph: request.planHash })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setJti(request.tokenId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + Math.max(1, Math.round(request.ttlMinutes * 60)))
    .sign(key);
}

export type TokenCheck = { ok: true; claims: ApprovalClaims } | ApprovalRefusal;

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Checks header, signature, issuer, audience and time; the run-level bindings are checked against the run. */
export async function verifyApprovalToken(
  token: string | undefined,
  key: Uint8Array,
  now: Date,
): Promise<TokenCheck> {
  if (token === undefined || token === '') return refuse('tokenMissing');
  if (token.length > 4096 || token.split('.').length !== 3) return refuse('tokenMalformed');
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return refuse('tokenMalformed');
  }
  // Named before jose sees it: an unsigned token must never reach signature checks, and the refusal
  // should say exactly why.
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') return refuse('algorithmNone');
  if (alg !== 'HS256') return refuse('algorithmNotAllowed');
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      currentDate: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['jti', 'iat', 'exp', 'nbf'],
    });
    const { run, step, grp, ph, jti, iat, exp } = payload;
    if (!isText(run) || !isText(step) || !isText(grp) || !isText(ph) || !isText(jti)) {
      return refuse('claimsInvalid');
    }
    if (typeof iat !== 'number' || typeof exp !== 'number') return refuse('claimsInvalid');
    return {
      ok: true,
      claims: {
        runId: run,
        stepId: step,
        group: grp,
        planHash: ph,
        tokenId: jti,
        issuedAt: new Date(iat * 1000),
        expiresAt: new Date(exp * 1000),
      },
    };
  } catch (error) {
    return refusalOf(error);
  }
}

function refusalOf(error: unknown): ApprovalRefusal {
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('signatureInvalid');
  if (error instanceof errors.JWTExpired) return refuse('expired');
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse('algorithmNotAllowed');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return refuse('notYetValid');
    if (error.claim === 'iss' || error.claim === 'aud') return refuse('wrongAudience');
    return refuse('claimsInvalid');
  }
  return refuse('tokenMalformed');
}
