import { createHash } from 'node:crypto';

/**
 * A uuid (version 8, name-based) derived from a name: the same command id always yields the
 * same event ids, so a retried command's append is recognised by the store and writes nothing.
 */
export function deterministicUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h.writeUInt8((h.readUInt8(6) & 0x0f) | 0x80, 6);
  h.writeUInt8((h.readUInt8(8) & 0x3f) | 0x80, 8);
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
