import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { classified, classifyError, scrub } from '../../../adapters/arm/classify-error';
import { PortError } from '../../../core/ports/port-error';

function restError(status: number, body: unknown, headers: Record<string, string> = {}): RestError {
  const request = createPipelineRequest({ url: 'https://management.azure.com/x?sig=secret' });
  const bodyAsText = typeof body === 'string' ? body : JSON.stringify(body);
  const parsed =
    typeof body === 'object' ? (body as { error?: { code?: string; message?: string } }) : undefined;
  return new RestError(parsed?.error?.message ?? bodyAsText, {
    statusCode: status,
    code: parsed?.error?.code,
    request,
    response: { status, headers: createHttpHeaders(headers), request, bodyAsText },
  });
}

describe('classifyError', () => {
  it('when ARM throttles with 429 and Retry-After, then it is retryable and carries the wait', () => {
    const info = classifyError(
      restError(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'Retry-After': '17' }),
    );
    expect(info).toEqual({
      kind: 'retryable',
      code: 'TooManyRequests',
      message: 'slow down',
      status: 429,
      retryAfterSeconds: 17,
    });
  });

  it('when Retry-After is an HTTP date or retry-after-ms, then it becomes whole seconds', () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    expect(
      classifyError(restError(503, {}, { 'retry-after': date })).retryAfterSeconds,
    ).toBeGreaterThanOrEqual(28);
    expect(classifyError(restError(429, {}, { 'retry-after-ms': '1500' })).retryAfterSeconds).toBe(2);
  });

  it('when the service fails with 5xx or 408, then it is retryable with the ARM code (or the status)', () => {
    expect(
      classifyError(restError(500, { error: { code: 'InternalServerError', message: 'boom' } })),
    ).toMatchObject({ kind: 'retryable', code: 'InternalServerError', status: 500 });
    expect(classifyError(restError(503, 'Service Unavailable'))).toMatchObject({
      kind: 'retryable',
      code: '503',
    });
    expect(classifyError(restError(408, ''))).toMatchObject({ kind: 'retryable', status: 408 });
  });

  it('when the resource does not exist (404), then it is notFound with the ARM code', () => {
    expect(
      classifyError(
        restError(404, {
          error: { code: 'ResourceNotFound', message: "The protected item 'x' was not found." },
        }),
      ),
    ).toEqual({
      kind: 'notFound',
      code: 'ResourceNotFound',
      message: "The protected item 'x' was not found.",
      status: 404,
    });
  });

  it('when another operation runs on the item (409), then it is terminal with ASR’s detail code', () => {
    const info = classifyError(
      restError(409, {
        error: {
          code: 'Conflict',
          message: 'Another operation is in progress',
          details: [{ code: 'OperationInProgress', message: 'Job j1' }],
        },
      }),
    );
    expect(info).toEqual({
      kind: 'terminal',
      code: 'OperationInProgress',
      message: 'Another operation is in progress',
      status: 409,
    });
  });

  it('when a request is refused with 400 BadRequest and a specific detail, then the detail code is reported', () => {
    const info = classifyError(
      restError(400, {
        error: {
          code: 'BadRequest',
          message: 'not allowed',
          details: [{ code: 'OperationNotAllowed', message: 'no' }],
        },
      }),
    );
    expect(info).toMatchObject({ kind: 'terminal', code: 'OperationNotAllowed', status: 400 });
    expect(
      classifyError(restError(403, { error: { code: 'AuthorizationFailed', message: 'denied' } })),
    ).toMatchObject({ kind: 'terminal', code: 'AuthorizationFailed' });
  });

  it('when the socket resets, times out or hangs up, then it is retryable with the socket code', () => {
    expect(classifyError(new RestError('read ECONNRESET', { code: 'ECONNRESET' }))).toMatchObject({
      kind: 'retryable',
      code: 'ECONNRESET',
    });
    expect(classifyError(Object.assign(new Error('connect'), { code: 'ETIMEDOUT' }))).toMatchObject({
      kind: 'retryable',
      code: 'ETIMEDOUT',
    });
    expect(classifyError(new Error('socket hang up'))).toMatchObject({
      kind: 'retryable',
      code: 'ECONNRESET',
    });
    expect(classifyError(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toMatchObject({
      kind: 'retryable',
      code: 'ECONNREFUSED',
    });
  });

  it('when the error is a plain bug with no status, then it is terminal (retrying cannot help)', () => {
    expect(classifyError(new TypeError('x is undefined'))).toMatchObject({
      kind: 'terminal',
      code: 'TypeError',
    });
  });

  it('when a message carries a bearer token or a signed URL, then both are redacted', () => {
    const info = classifyError(
      new Error(
        'GET https://acct.blob.core.windows.net/c/b?sv=1&sig=abc failed with Authorization: Bearer eyJhbGciOi.x.y',
      ),
    );
    expect(info.message).not.toContain('sig=abc');
    expect(info.message).not.toContain('eyJhbGciOi');
    expect(scrub('token=abc&x=1')).toBe('token=<redacted>&x=1');
  });

  it('when a call is wrapped with classified, then what it throws is a PortError', async () => {
    await expect(
      classified(() =>
        Promise.reject(restError(404, { error: { code: 'ResourceNotFound', message: 'gone' } })),
      ),
    ).rejects.toSatisfy((e: unknown) => e instanceof PortError && e.info.kind === 'notFound');
    expect(classifyError(new PortError({ kind: 'retryable', code: 'x', message: 'y' }))).toEqual({
      kind: 'retryable',
      code: 'x',
      message: 'y',
    });
  });
});
