/** One entry of ASR's `error.details[]`: the service-specific code sits here, under a generic top-level code. */
export interface ArmErrorDetail {
  code: string;
  message: string;
  possibleCauses?: string;
  recommendedAction?: string;
}

/**
 * An error the simulated service answers with `{ error: { code, message, details } }`, the ARM envelope
 * the SDK turns into `RestError.code` / `.message`. Thrown from handlers; the server renders it.
 */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ArmErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ArmError';
  }

  body(): { error: { code: string; message: string; details?: ArmErrorDetail[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details.length ? { details: this.details } : {}),
      },
    };
  }
}

export const notFound = (kind: string, name: string): ArmError =>
  new ArmError(404, 'ResourceNotFound', `The ${kind} '${name}' was not found.`);

export const badRequest = (message: string, detailCode?: string): ArmError =>
  new ArmError(400, 'BadRequest', message, detailCode ? [{ code: detailCode, message }] : []);
