import { coversTenants, mayTouchTenant, type Principal } from '../src';

const token = (tenants: string[]): Principal => ({ sub: 's', roles: ['reporter'], tenants });

describe('a token covers a set of tenants when it may touch each one', () => {
  it.each<[string[], string[], boolean]>([
    [['CoL', 'CoLP'], ['CoL', 'CoLP'], true],
    [['CoL', 'CoLP', 'LBB'], ['CoLP', 'CoL'], true],
    [['*'], ['LBB', 'LBL', 'LBS'], true],
    [['CoL'], ['CoL', 'CoLP'], false],
    [[], ['CoL', 'CoLP'], false],
    [['col', 'colp'], ['CoL', 'CoLP'], false],
  ])('%j covers %j: %s', (tenants, group, expected) => {
    expect(coversTenants(token(tenants), group)).toBe(expected);
    expect(coversTenants(token(tenants), group)).toBe(group.every((t) => mayTouchTenant(token(tenants), t)));
  });
});
