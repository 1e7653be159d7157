// App settings for approvals and notices: read once per process, every problem named with its setting.
import { isLoopbackHost, readPublicBaseUrl } from '../config/public-base-url';
import { parseSigningKey } from '../../core/approvals/approval-signing-key';

export interface ApprovalSettings {
  signingKey: Uint8Array;
  /** Origin (and optional base path) of approval links, e.g. https://dr-func.azurewebsites.net (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** Where the confirmation page sends people to sign in: `/.auth/login/aad` in Azure, `/.auth/login/dev` in the lab. */
  loginPath: string;
}

export type EmailSettings =
  | { kind: 'acs'; connectionString: string; sender: string }
  | { kind: 'sink'; url: string; sender: string }
  | { kind: 'none' };

export interface NotifySettings {
  /** Teams Workflows webhook URL per approver group (or `*` for every group without its own). */
  teamsWebhooks: Record<string, string>;
  email: EmailSettings;
}

export type SettingsResult<T> = { ok: true; settings: T } | { ok: false; errors: string[] };

type Env = Record<string, string | undefined>;

const blank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

function httpUrl(name: string, value: string, errors: string[]): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))
      return value.replace(/\/+$/, '');
    errors.push(`${name}: must be an https URL (http only for localhost/127.0.0.1)`);
  } catch {
    errors.push(`${name}: must be an absolute URL`);
  }
  return '';
}

export function readApprovalSettings(env: Env): SettingsResult<ApprovalSettings> {
  const errors: string[] = [];
  const key = parseSigningKey(env.APPROVAL_SIGNING_KEY);
  if ('error' in key) errors.push(key.error);
  const loginPath = blank(env.APPROVAL_LOGIN_PATH) ? '/.auth/login/aad' : env.APPROVAL_LOGIN_PATH!.trim();
  if (!/^\/\.auth\/login\/[a-z0-9-]+$/.test(loginPath)) {
    errors.push('APPROVAL_LOGIN_PATH: must be /.auth/login/<provider>, e.g. /.auth/login/aad');
  }
  // Links in e-mails and cards must be absolute: no relative fallback here.
  const base = readPublicBaseUrl(env);
  if (!base.ok) errors.push(base.error);
  else if (base.url === undefined) errors.push('PUBLIC_BASE_URL: required when WEBSITE_HOSTNAME is not set');
  const settings: ApprovalSettings = {
    signingKey: key instanceof Uint8Array ? key : new Uint8Array(),
    publicBaseUrl: base.ok ? (base.url ?? '') : '',
    loginPath,
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings };
}

export function readNotifySettings(env: Env): SettingsResult<NotifySettings> {
  const errors: string[] = [];
  const teamsWebhooks: Record<string, string> = {};
  if (!blank(env.TEAMS_WEBHOOK_URLS)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.TEAMS_WEBHOOK_URLS!);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      errors.push('TEAMS_WEBHOOK_URLS: must be a JSON object of approver group → Workflows webhook URL');
    } else {
      for (const [group, url] of Object.entries(parsed)) {
        if (typeof url !== 'string') errors.push(`TEAMS_WEBHOOK_URLS.${group}: must be a URL string`);
        else teamsWebhooks[group] = httpUrl(`TEAMS_WEBHOOK_URLS.${group}`, url, errors);
      }
    }
  }
  const sender = env.EMAIL_SENDER_ADDRESS?.trim() ?? '';
  let email: EmailSettings = { kind: 'none' };
  if (!blank(env.EMAIL_SINK_URL)) {
    email = {
      kind: 'sink',
      url: httpUrl('EMAIL_SINK_URL', env.EMAIL_SINK_URL!.trim(), errors),
      sender: sender || 'durable-recovery@localhost',
    };
  } else if (!blank(env.ACS_EMAIL_CONNECTION_STRING)) {
    if (!/^[^@\s]+@[^@\s]+$/.test(sender))
      errors.push(
        'EMAIL_SENDER_ADDRESS: required with ACS_EMAIL_CONNECTION_STRING (a verified sender, e.g. DoNotReply@<domain>)',
      );
    if (!/endpoint=https:\/\/[^;]+;accesskey=/i.test(env.ACS_EMAIL_CONNECTION_STRING!)) {
      errors.push(
        'ACS_EMAIL_CONNECTION_STRING: must look like endpoint=https://<resource>.communication.azure.com/;accesskey=<key>',
      );
    }
    email = { kind: 'acs', connectionString: env.ACS_EMAIL_CONNECTION_STRING!, sender };
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: { teamsWebhooks, email } };
}
