import { deciderSpecification } from '../../domain/test/decider-specification';
import {
  decideWebhookCommand,
  evolveWebhookRegistry,
  initialWebhookRegistryState,
  MAX_WEBHOOKS_PER_TENANT,
  webhookWants,
  type SealedSecret,
  type WebhookCommand,
  type WebhookEvent,
  type WebhookRegistryState,
} from '../src';

const spec = deciderSpecification<WebhookCommand, WebhookEvent, WebhookRegistryState, undefined>({
  decide: (command, state) => decideWebhookCommand(command, state),
  evolve: (state, event) => evolveWebhookRegistry(state, event),
  initialState: initialWebhookRegistryState,
})(undefined);

const secret: SealedSecret = { keyId: 'k', iv: 'iv', sealed: 'ciphertext' };
const registered = (webhookId: string): WebhookEvent => ({
  type: 'WebhookRegistered',
  data: { webhookId, url: 'https://example.org/h', events: ['SlaBreached'], secret },
});
const register = (webhookId: string): WebhookCommand => ({ type: 'register', webhookId, url: 'https://example.org/h', events: ['SlaBreached'], secret });

describe("a tenant's webhooks", () => {
  it('registers a webhook with its sealed secret', () =>
    spec
      .given([])
      .when(register('w1'))
      .then([registered('w1')]));
  it('never gives an id twice, even once removed', () =>
    spec
      .given([registered('w1'), { type: 'WebhookRemoved', data: { webhookId: 'w1' } }])
      .when(register('w1'))
      .thenThrows('WEBHOOK.ALREADY_REGISTERED'));
  it(`keeps at most ${MAX_WEBHOOKS_PER_TENANT} in force`, () => {
    const full = Array.from({ length: MAX_WEBHOOKS_PER_TENANT }, (_, i) => registered(`w${i}`));
    spec.given(full).when(register('one-more')).thenThrows('WEBHOOK.LIMIT_REACHED');
    spec
      .given([...full, { type: 'WebhookRemoved', data: { webhookId: 'w3' } }])
      .when(register('one-more'))
      .then([registered('one-more')]);
  });
  it('removes one in force; an unknown or removed one is not found', () => {
    spec
      .given([registered('w1')])
      .when({ type: 'remove', webhookId: 'w1' })
      .then([{ type: 'WebhookRemoved', data: { webhookId: 'w1' } }]);
    spec.given([]).when({ type: 'remove', webhookId: 'w1' }).thenThrows('WEBHOOK.NOT_FOUND');
    spec
      .given([registered('w1'), { type: 'WebhookRemoved', data: { webhookId: 'w1' } }])
      .when({ type: 'remove', webhookId: 'w1' })
      .thenThrows('WEBHOOK.NOT_FOUND');
  });
  it("records an admin's retry of a delivery to a webhook in force", () => {
    spec
      .given([registered('w1')])
      .when({ type: 'requestRetry', webhookId: 'w1', eventId: 'e1' })
      .then([{ type: 'WebhookDeliveryRetryRequested', data: { webhookId: 'w1', eventId: 'e1' } }]);
    spec.given([]).when({ type: 'requestRetry', webhookId: 'w1', eventId: 'e1' }).thenThrows('WEBHOOK.NOT_FOUND');
  });
});

describe('what a webhook receives', () => {
  const retraction = (key: string) => ({ type: 'SlaEventRetracted', data: { key } });
  it('the types it asked for, and nothing else', () => {
    expect(webhookWants(['SlaBreached'], { type: 'SlaBreached', data: {} })).toBe(true);
    expect(webhookWants(['SlaBreached'], { type: 'IncidentRaised', data: {} })).toBe(false);
  });
  it('the retraction of what it asked for: a breach (threshold 100) or a warning', () => {
    expect(webhookWants(['SlaBreached'], retraction('resolution/1/P1/100'))).toBe(true);
    expect(webhookWants(['SlaBreached'], retraction('resolution/1/P1/75'))).toBe(false);
    expect(webhookWants(['SlaWarningRaised'], retraction('resolution/1/P1/75'))).toBe(true);
    expect(webhookWants(['SlaWarningRaised'], retraction('response/2/P2/100'))).toBe(false);
    expect(webhookWants(['SlaEventRetracted'], retraction('response/2/P2/100'))).toBe(true);
    expect(webhookWants(['IncidentRaised'], retraction('response/2/P2/100'))).toBe(false);
  });
  it('an escalation’s retraction goes to escalation receivers, never to breach or warning ones', () => {
    expect(webhookWants(['EscalationTriggered'], retraction('escalation/resolution/1/P1/100'))).toBe(true);
    expect(webhookWants(['SlaBreached'], retraction('escalation/resolution/1/P1/100'))).toBe(false);
    expect(webhookWants(['SlaWarningRaised'], retraction('escalation/resolution/1/P1/50'))).toBe(false);
  });
});
