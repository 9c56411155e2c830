import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * No Docker engine runs on the build machines, so this test keeps docker-compose.yml from
 * rotting: the services, their wiring, ports and the Dockerfile it builds must stay right.
 */
const root = join(__dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
const env = (service: string): Record<string, string> => compose.services[service].environment;

describe('docker-compose.yml', () => {
  it('declares exactly kurrentdb, mongodb, api and projector', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'kurrentdb', 'mongodb', 'projector']);
  });

  it('runs KurrentDB as an insecure single node on 2113', () => {
    const k = compose.services.kurrentdb;
    expect(k.image).toMatch(/kurrentdb:/);
    expect(k.environment.KURRENTDB_CLUSTER_SIZE).toBe('1');
    expect(k.environment.KURRENTDB_INSECURE).toBe('true');
    expect(k.ports).toContain('2113:2113');
  });

  it('runs MongoDB as a single-node replica set (transactions need one) and initiates it', () => {
    const m = compose.services.mongodb;
    expect(m.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(m.healthcheck.test.join(' ')).toMatch(/rs\.initiate/);
    expect(m.ports).toContain('27017:27017');
  });

  it.each(['api', 'projector'])('wires %s to both servers by the variables the code reads', (service) => {
    expect(env(service).KURRENTDB_CONNECTION_STRING).toBe('kurrentdb://kurrentdb:2113?tls=false');
    expect(env(service).MONGODB_URI).toMatch(/^mongodb:\/\/mongodb:27017\/\w+\?replicaSet=rs0$/);
    expect(Object.keys(compose.services[service].depends_on).sort()).toEqual(['kurrentdb', 'mongodb']);
    const dockerfile = compose.services[service].build.dockerfile;
    expect(existsSync(join(root, dockerfile))).toBe(true);
  });

  it('runs the SLA timer and the read-model projector in the projector only, never twice in production', () => {
    expect(env('api').ITSM_SLA_TIMER).toBe('off');
    expect(env('api').ITSM_PROJECTOR).toBe('off');
    expect(env('projector').ITSM_SLA_TIMER).toBeUndefined();
  });

  it('publishes the API on 3000 and starts the projector from its own entry point', () => {
    expect(compose.services.api.ports).toContain('3000:3000');
    expect(env('api').PORT).toBe('3000');
    const projectorMain = compose.services.projector.command.at(-1);
    expect(projectorMain).toBe('dist/apps/projector/src/main.js');
    expect(existsSync(join(root, 'apps/projector/src/main.ts'))).toBe(true);
  });

  it('uses only variables that the configuration loader reads', () => {
    const source = readFileSync(join(root, 'libs/config/src/app-config.ts'), 'utf8');
    for (const service of ['api', 'projector']) {
      for (const name of Object.keys(env(service))) expect(source).toContain(`env.${name}`);
    }
  });
});
