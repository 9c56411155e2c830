import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A webhook secret as the log keeps it: AES-256-GCM ciphertext, never the secret itself. */
export interface SealedSecret {
  /** Which key sealed it (a digest of the key, not the key). */
  keyId: string;
  iv: string;
  /** Ciphertext and tag, base64url. */
  sealed: string;
}

/** The secret cannot be opened: sealed under another key (ITSM_WEBHOOK_KEY changed), or altered. */
export class SecretUnavailableError extends Error {
  readonly code = 'WEBHOOK.SECRET_UNAVAILABLE';
  constructor(reason: string) {
    super(`The webhook's secret cannot be opened: ${reason}`);
    this.name = 'SecretUnavailableError';
  }
}

/**
 * Seals webhook secrets for the log. Deliveries must sign with the secret in clear, so it is
 * encrypted, not hashed: AES-256-GCM under a key kept outside the log (ITSM_WEBHOOK_KEY, or a key
 * generated into the data folder when embedded), bound to its tenant and webhook (additional data),
 * so an export, a backup or a reader of the log holds only ciphertext, and a sealed secret copied to
 * another webhook does not open.
 */
export class SecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  /** `keyText`: at least 32 characters; the AES key is derived from it (HKDF-SHA256). */
  constructor(keyText: string) {
    if (keyText.length < 32) throw new Error('The webhook key must be at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', keyText, 'itsm', 'itsm webhook secrets v1', 32));
    this.keyId = createHash('sha256').update(this.key).digest('base64url').slice(0, 16);
  }

  seal(secret: string, boundTo: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { keyId: this.keyId, iv: iv.toString('base64url'), sealed: sealed.toString('base64url') };
  }

  open(secret: SealedSecret, boundTo: string): string {
    if (secret.keyId !== this.keyId) throw new SecretUnavailableError('it was sealed under another key (was ITSM_WEBHOOK_KEY changed?)');
    try {
      const bytes = Buffer.from(secret.sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(secret.iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnavailableError('it does not authenticate (altered, or bound to another webhook)');
    }
  }

  /**
   * A keyed digest of a secret, for fingerprints kept in the log (the request hash of an idempotent
   * registration): without the key, the digest tells nothing about a weak secret.
   */
  digest(secret: string): string {
    return createHmac('sha256', this.key).update(secret).digest('hex');
  }
}

/** What a sealed secret is bound to: its tenant and webhook. */
export const secretBinding = (tenantId: string, webhookId: string) => `${tenantId}/${webhookId}`;

/**
 * The key that seals webhook secrets: ITSM_WEBHOOK_KEY when set (the API and the projector must
 * share it); embedded without it, one generated once into the data folder (mode 600). On the servers
 * without it there is none: registrations are refused and deliveries wait, until it is configured.
 */
export function resolveWebhookKey(config: { webhookKey?: string; dataDir: string; kurrentDbConnectionString?: string }): string | undefined {
  if (config.webhookKey) return config.webhookKey;
  if (config.kurrentDbConnectionString) return undefined;
  const file = join(config.dataDir, 'webhook-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process of this installation (the API beside the projector) wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  return key;
}
