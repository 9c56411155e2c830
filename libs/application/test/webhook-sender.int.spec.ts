import { HttpWebhookSender, type ResolveHost } from '../src';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * DNS rebinding: a receiver's name is resolved again for every delivery, by the socket's own lookup,
 * so a name that pointed outside at registration and points inside now is never connected to.
 */
describe('the sender', () => {
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  const port = () => new URL(receiver.url).port;
  const request = (host: string) => ({ url: `http://${host}:${port()}/hook`, headers: { 'x-itsm-event-id': 'e1' }, body: '{}' });

  it('never connects to a name that now resolves inside, even when it resolved outside a moment before', async () => {
    // The first answer (the check before sending) is public; the socket's own lookup gets loopback.
    const answers = [[{ address: '93.184.216.34', family: 4 }], [{ address: '127.0.0.1', family: 4 }]];
    const rebinding: ResolveHost = async () => answers.shift() ?? [{ address: '127.0.0.1', family: 4 }];
    const sender = new HttpWebhookSender({ allowPrivate: false, resolve: rebinding }, 2_000);
    const outcome = await sender.send({ ...request('rebound.example'), url: `https://rebound.example:${port()}/hook` });
    expect(outcome).toMatchObject({ ok: false, status: null, error: expect.stringContaining('resolves to 127.0.0.1') });
    expect(answers).toHaveLength(0);
    expect(receiver.requests).toHaveLength(0);
  });

  it('connects to the address it checked, and reports the answer', async () => {
    const local: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
    const sender = new HttpWebhookSender({ allowPrivate: true, resolve: local }, 2_000);
    receiver.script('e1', [503, 200]);
    expect(await sender.send(request('receiver.example'))).toEqual({ ok: false, status: 503, error: 'the receiver answered 503' });
    expect(await sender.send(request('receiver.example'))).toEqual({ ok: true, status: 200 });
    expect(receiver.requests).toHaveLength(2);
  });
});
