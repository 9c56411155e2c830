import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * No Docker engine runs on the build machines, so this test keeps docker-compose.yml from
 * rotting: the services, their wiring, ports and the Dockerfile it builds must stay right.
 */
const root = join(__dirname, '..');
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(text);
const env = (service: string): Record<string, string> => compose.services[service].environment;

describe('docker-compose.yml', () => {
  it('declares exactly kurrentdb, mongodb, api and projector', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'kurrentdb', 'mongodb', 'projector']);
  });

  it('restarts every service unless it was stopped on purpose', () => {
    for (const [name, service] of Object.entries<{ restart?: string }>(compose.services)) expect([name, service.restart]).toEqual([name, 'unless-stopped']);
  });

  it('runs KurrentDB as an insecure single node on 2113', () => {
    const k = compose.services.kurrentdb;
    // A pinned release from Kurrent's registry (Kurrent's own docs deploy docker.kurrent.io/kurrent-latest/kurrentdb:25.1.0),
    // not a floating tag: a new release must never change the stack unnoticed.
    expect(k.image).toMatch(/^docker\.kurrent\.io\/kurrent-latest\/kurrentdb:25\.1\.\d+$/);
    expect(k.environment.KURRENTDB_CLUSTER_SIZE).toBe('1');
    expect(k.environment.KURRENTDB_INSECURE).toBe('true');
    expect(k.ports).toContain('2113:2113');
    // The image installs curl and its own HEALTHCHECK probes the same endpoint.
    expect(k.healthcheck.test.join(' ')).toMatch(/curl -fs http:\/\/localhost:2113\/health\/live/);
  });

  it('runs MongoDB as a single-node replica set (transactions need one), initiates it, and is healthy only with a primary', () => {
    const m = compose.services.mongodb;
    expect(m.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const check = m.healthcheck.test.join(' ');
    expect(check).toMatch(/^CMD-SHELL mongosh /);
    expect(check).toMatch(/rs\.initiate\(\{_id: 'rs0', members: \[\{_id: 0, host: 'mongodb:27017'\}\]\}\)/);
    expect(check).toMatch(/if \(!db\.hello\(\)\.isWritablePrimary\) quit\(1\)/);
    expect(m.ports).toContain('27017:27017');
  });

  it('advertises the replica set member under the name the containers connect to', () => {
    const member = /host: '([^']+)'/.exec(compose.services.mongodb.healthcheck.test.join(' '))?.[1];
    for (const service of ['api', 'projector']) expect(new URL(env(service).MONGODB_URI!).host).toBe(member);
  });

  it('documents a host connection string that reaches the member without resolving its container name', () => {
    // The host cannot resolve mongodb:27017, so ?replicaSet=rs0 from the host would time out in server
    // selection; a direct connection to the published port reaches the same primary.
    const host = /MONGODB_URI=(mongodb:\/\/localhost:27017\/\w+\?directConnection=true)\s/.exec(text)?.[1];
    expect(host).toBe('mongodb://localhost:27017/itsm?directConnection=true');
    expect(new URL(host!).pathname).toBe(new URL(env('api').MONGODB_URI!).pathname);
    expect(text).not.toMatch(/localhost:27017\/\w*\?replicaSet=/);
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
