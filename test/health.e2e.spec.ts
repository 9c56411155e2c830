import request from 'supertest';
import { reportsProjection } from '@itsm/projections';
import { startTestApp } from './support/test-app';

describe('GET /health', () => {
  it('answers on the embedded store, naming the adapters in use', async () => {
    const t = await startTestApp();
    try {
      const res = await request(t.http).get('/health').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        eventStore: { adapter: 'sqlite', reachable: true, headPosition: null },
        readStore: { adapter: 'sqlite', reachable: true },
        projections: [expect.objectContaining({ name: 'reports', version: reportsProjection().version, position: null, headPosition: null, lag: 0 })],
      });
    } finally {
      await t.stop();
    }
  });
});
