/** HS256 keys shorter than the hash output (32 bytes) weaken the MAC (RFC 7518 §3.2). */
export const MIN_SIGNING_KEY_BYTES = 32;

/** The name of the app setting holding the key (a Key Vault reference in Azure). */
export const SIGNING_KEY_SETTING = 'APPROVAL_SIGNING_KEY';

/**
 * Turns the configured secret into key bytes, or explains what is wrong with it. The value is taken
 * as UTF-8 text; `base64:` prefixes a base64-encoded key (what `openssl rand -base64 48` prints).
 */
export function parseSigningKey(value: string | undefined): Uint8Array | { error: string } {
  if (value === undefined || value.trim() === '') {
    return { error: `${SIGNING_KEY_SETTING}: required (at least ${MIN_SIGNING_KEY_BYTES} bytes of secret)` };
  }
  let bytes: Uint8Array;
  if (value.startsWith('base64:')) {
    const text = value.slice('base64:'.length).trim();
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
      return { error: `${SIGNING_KEY_SETTING}: "base64:" must be followed by base64 text` };
    }
    bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } else {
    bytes = new TextEncoder().encode(value);
  }
  if (bytes.length < MIN_SIGNING_KEY_BYTES) {
    return {
      error: `${SIGNING_KEY_SETTING}: must be at least ${MIN_SIGNING_KEY_BYTES} bytes, got ${bytes.length}`,
    };
  }
  return bytes;
}
