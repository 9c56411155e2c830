import { transactionSupport } from '../src/mongodb-read-store';

/**
 * The MongoDB adapter commits each batch with its checkpoint in one transaction, so it asks the
 * server `hello` first. These replies are the shapes servers send (mongod's hello_response.cpp,
 * mongos' msg "isdbgrid"); no server runs here, so only the decision is tested.
 */
describe('transactionSupport (the MongoDB adapter refuses servers that cannot run transactions)', () => {
  const primary = { isWritablePrimary: true, secondary: false, setName: 'rs0', setVersion: 1, hosts: ['mongodb:27017'], me: 'mongodb:27017', ok: 1 };
  const secondary = { ...primary, isWritablePrimary: false, secondary: true };
  const mongos = { isWritablePrimary: true, msg: 'isdbgrid', maxWireVersion: 21, ok: 1 };
  const standalone = { isWritablePrimary: true, maxBsonObjectSize: 16777216, maxWireVersion: 21, ok: 1 };
  const notInitiated = { isWritablePrimary: false, secondary: false, info: 'Does not have a valid replica set config', isreplicaset: true, ok: 1 };

  it('accepts a replica set member (it reports its setName), primary or not', () => {
    expect(transactionSupport(primary)).toEqual({ supported: true, topology: 'replica set' });
    expect(transactionSupport(secondary)).toEqual({ supported: true, topology: 'replica set' });
  });

  it('accepts mongos (msg "isdbgrid")', () => {
    expect(transactionSupport(mongos)).toEqual({ supported: true, topology: 'mongos' });
  });

  it('refuses a standalone mongod, saying why and how to fix it', () => {
    const verdict = transactionSupport(standalone);
    expect(verdict.supported).toBe(false);
    const reason = verdict.supported ? '' : verdict.reason;
    expect(reason).toMatch(/replica set/);
    expect(reason).toMatch(/mongos/);
    expect(reason).toMatch(/standalone/);
    expect(reason).toMatch(/checkpoint are committed in one multi-document transaction/);
    expect(reason).toContain('mongod --replSet rs0');
    expect(reason).toContain('rs.initiate()');
    expect(reason).toContain('?replicaSet=rs0');
  });

  it('refuses a mongod started with --replSet whose set was never initiated, pointing at rs.initiate()', () => {
    const verdict = transactionSupport(notInitiated);
    expect(verdict.supported).toBe(false);
    expect(verdict.supported ? '' : verdict.reason).toMatch(/not initiated.*rs\.initiate\(\)/);
  });

  it('does not mistake an empty or non-text setName, or another msg, for a replica set or mongos', () => {
    expect(transactionSupport({ ...standalone, setName: '' }).supported).toBe(false);
    expect(transactionSupport({ ...standalone, setName: 1 }).supported).toBe(false);
    expect(transactionSupport({ ...standalone, msg: 'something else' }).supported).toBe(false);
    expect(transactionSupport({}).supported).toBe(false);
  });
});
