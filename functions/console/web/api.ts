// The console reads and acts only through the role-checked API copies for signed-in people
// (/api/session/…): the browser holds no key, the App Service sign-in cookie identifies the person.
export const SESSION_API = '/api/session';
export const CONSOLE_BASE = '/api/console';

/** A refusal from the API: its status, stable code and the message naming the field and the rule. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown, raw?: string): Promise<T> {
  const response = await fetch(`${SESSION_API}${path}`, {
    method,
    credentials: 'same-origin',
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : raw !== undefined ? { body: raw } : {}),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
      ?.error;
    // The sign-in ended: reload, and the console's page sends the person to sign in again.
    if (response.status === 401) window.location.reload();
    throw new ApiFailure(
      response.status,
      error?.code ?? `http-${response.status}`,
      error?.message ?? `${method} ${path}: HTTP ${response.status}`,
      error?.details,
    );
  }
  return parsed as T;
}

/** Who is signed in (the page shell carries it; the API checks it again on every call). */
export function me(): { user: string; roles: string[] } {
  const data = document.body.dataset;
  return { user: data.user ?? '', roles: (data.roles ?? '').split(' ').filter((r) => r !== '') };
}

export function can(role: 'viewer' | 'operator' | 'approver'): boolean {
  const roles = me().roles;
  return role === 'viewer' ? roles.length > 0 : roles.includes(role);
}
