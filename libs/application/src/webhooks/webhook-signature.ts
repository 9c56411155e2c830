import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-ITSM-Signature: sha256=<hex>`: HMAC-SHA256 keyed by the webhook's secret over
 * `<X-ITSM-Timestamp>.<raw body>`, so a receiver can tell our deliveries from forgeries and refuse
 * old ones replayed (the timestamp is signed with the body).
 */
export function webhookSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** What a receiver does with the headers (constant-time comparison). */
export function verifyWebhookSignature(secret: string, timestamp: string, rawBody: string, signature: string): boolean {
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
