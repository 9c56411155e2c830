import { createHmac } from 'node:crypto';
import { isPublicAddress, parseReceiverUrl, receiverAddresses, SecretBox, SecretUnavailableError, verifyWebhookSignature, webhookSignature } from '../src';

describe('sealed secrets', () => {
  const box = new SecretBox('k'.repeat(32));
  it('open only under their key and for their webhook', () => {
    const sealed = box.seal('the-receivers-secret', 'CoL/w1');
    expect(JSON.stringify(sealed)).not.toContain('the-receivers-secret');
    expect(box.open(sealed, 'CoL/w1')).toBe('the-receivers-secret');
    expect(() => box.open(sealed, 'LBB/w1')).toThrow(SecretUnavailableError);
    expect(() => new SecretBox('z'.repeat(32)).open(sealed, 'CoL/w1')).toThrow(SecretUnavailableError);
    expect(() => box.open({ ...sealed, sealed: `A${sealed.sealed.slice(1)}` }, 'CoL/w1')).toThrow(SecretUnavailableError);
  });
  it('refuse a short key', () => expect(() => new SecretBox('short')).toThrow());
  it('a keyed digest tells nothing without the key', () => expect(box.digest('s')).not.toBe(new SecretBox('z'.repeat(32)).digest('s')));
});

describe('signatures', () => {
  it('are sha256=HMAC-SHA256(secret, timestamp.body) in hex', () => {
    const expected = createHmac('sha256', 'secret').update('1688374800.{"a":1}').digest('hex');
    expect(webhookSignature('secret', '1688374800', '{"a":1}')).toBe(`sha256=${expected}`);
    expect(verifyWebhookSignature('secret', '1688374800', '{"a":1}', `sha256=${expected}`)).toBe(true);
    expect(verifyWebhookSignature('secret', '1688374801', '{"a":1}', `sha256=${expected}`)).toBe(false);
    expect(verifyWebhookSignature('secret', '1688374800', '{"a":2}', `sha256=${expected}`)).toBe(false);
  });
});

describe('receivers', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.0.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['not-an-address', false],
  ])('%s is public: %s', (address, expected) => expect(isPublicAddress(address)).toBe(expected));

  it('are refused when any address of their host is not public', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(receiverAddresses('mixed.example', { allowPrivate: false, resolve })).rejects.toMatchObject({ rule: 'privateAddress' });
    await expect(receiverAddresses('mixed.example', { allowPrivate: true, resolve })).resolves.toHaveLength(2);
    await expect(
      receiverAddresses('nowhere.example', { allowPrivate: false, resolve: async () => Promise.reject(new Error('ENOTFOUND')) }),
    ).rejects.toMatchObject({ rule: 'unresolvable' });
  });

  it('must be https (http only where private receivers are allowed), without credentials', () => {
    expect(() => parseReceiverUrl('http://example.org/h', { allowPrivate: false })).toThrow(expect.objectContaining({ rule: 'scheme' }));
    expect(parseReceiverUrl('http://example.org/h', { allowPrivate: true }).href).toBe('http://example.org/h');
    expect(() => parseReceiverUrl('ftp://example.org/h', { allowPrivate: true })).toThrow(expect.objectContaining({ rule: 'scheme' }));
    expect(() => parseReceiverUrl('https://a:b@example.org/h', { allowPrivate: false })).toThrow(expect.objectContaining({ rule: 'credentials' }));
  });
});
