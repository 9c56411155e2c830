import request from 'supertest';
import Ajv from 'ajv';
import type { OpenAPIObject, OperationObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { startTestApp } from './support/test-app';

/**
 * The served OpenAPI document keeps what `npm run lint:openapi` (Spectral's spectral:oas and
 * Redocly's recommended rules) once found wrong, so none of it can come back unnoticed by jest alone.
 */
let t: Awaited<ReturnType<typeof startTestApp>>;
let doc: OpenAPIObject;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await request(t.http).get('/docs/openapi.json').expect(200)).body as OpenAPIObject;
});
afterAll(() => t.stop());

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const operations = (): Array<[string, OperationObject]> =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((m): Array<[string, OperationObject]> => {
      const operation = item[m];
      return operation ? [[`${m.toUpperCase()} ${path}`, operation]] : [];
    }),
  );

describe('the OpenAPI document', () => {
  it('names a server: the origin it is served from', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('/health is open: an empty security requirement, a summary, a 200 and the 429 it can answer', () => {
    const health = doc.paths['/health']?.get;
    if (health === undefined) throw new Error('no GET /health in the document');
    expect(health.security).toEqual([]);
    expect(health.summary).toEqual(expect.stringMatching(/\S/));
    expect(Object.keys(health.responses)).toEqual(expect.arrayContaining(['200', '429']));
    expect(health.description).toContain('Open: no token needed.');
  });

  it('every other operation needs the bearer token, and its description names the roles the guard asks for', () => {
    for (const [name, operation] of operations()) {
      if (name === 'GET /health') continue;
      expect({ name, security: operation.security }).toEqual({ name, security: [{ bearer: [] }] });
    }
    expect(doc.paths['/v1/tenants']?.post!.description).toBe('Needs a bearer token holding the role admin.');
    expect(doc.paths['/v1/tenants/{tenant}/tickets/{id}/history']?.get!.description).toBe(
      'Needs a bearer token holding the role auditor or operator that grants the tenant in the path.',
    );
  });

  it('every operation has a success response, and every tag it carries is described', () => {
    const declared = new Set((doc.tags ?? []).map((tag) => tag.name));
    for (const [name, operation] of operations()) {
      expect({ name, success: Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)) }).toEqual({ name, success: true });
      for (const tag of operation.tags ?? []) expect({ name, tag, declared: declared.has(tag) }).toEqual({ name, tag, declared: true });
    }
  });

  it.each(['RegisterTenantDto', 'TenantSettingsDto', 'DefineSlaPolicyDto', 'DraftSlaPolicyDto'])(
    "%s: each property's example and default fit its schema",
    (name) => {
      // OpenAPI's own keywords (example, nullable, ...) are not JSON Schema's: strict off ignores them.
      const ajv = new Ajv({ strict: false, allErrors: true });
      const properties = (doc.components!.schemas![name] as SchemaObject).properties!;
      const samples = Object.entries(properties).flatMap(([property, schema]) =>
        (['example', 'default'] as const).flatMap((key) => (key in schema ? [{ property, key, schema: schema as SchemaObject }] : [])),
      );
      expect(samples.map((s) => s.property)).toEqual(expect.arrayContaining(name.includes('Sla') ? ['warningThresholdsPct'] : ['priorityMatrix']));
      for (const { property, key, schema } of samples) {
        const validate = ajv.compile({ ...schema, components: doc.components });
        validate(schema[key]);
        expect({ property, key, errors: validate.errors ?? [] }).toEqual({ property, key, errors: [] });
      }
    },
  );

  it('documents the matrix and the thresholds as what they are: 3×3 priorities, and numbers', () => {
    const schemas = doc.components!.schemas! as Record<string, SchemaObject>;
    expect(schemas.TenantSettingsDto?.properties!.priorityMatrix).toMatchObject({
      type: 'array',
      minItems: 3,
      maxItems: 3,
      items: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'string', enum: ['P1', 'P2', 'P3', 'P4'] } },
    });
    expect(schemas.DefineSlaPolicyDto?.properties!.warningThresholdsPct).toMatchObject({ type: 'array', items: { type: 'number' } });
  });
});
