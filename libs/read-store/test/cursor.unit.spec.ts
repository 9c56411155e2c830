import { decodeCursor, encodeCursor } from '../src/cursor';
import { ReadStoreQueryError } from '@itsm/read-store';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const refusedField = (cursor: string) => {
  try {
    decodeCursor(cursor);
  } catch (e) {
    return e instanceof ReadStoreQueryError ? e.field : e;
  }
  return undefined;
};

describe('page cursors', () => {
  it('round-trip the sort value and id the stores hand out', () => {
    for (const value of ['2023-07-03T08:00:00.000Z', 3, null, true, 'P1']) expect(decodeCursor(encodeCursor(value, 'INC1'))).toEqual([value, 'INC1']);
  });

  it('refuse, naming cursor, a value that is not a scalar: an operator object ({"$gt":1}) or an array', () => {
    expect(b64([{ $gt: 1 }, 'x'])).toBe('W3siJGd0IjoxfSwieCJd');
    for (const value of [{ $gt: 1 }, { $ne: null }, [1, 2], {}]) expect(refusedField(b64([value, 'x']))).toBe('cursor');
  });

  it('refuse anything else that is not one of theirs', () => {
    for (const cursor of [
      b64(['a', 1]),
      b64(['a']),
      b64({ 0: 'a', 1: 'b' }),
      'not base64!',
      '%%%',
      b64(['x'.repeat(3000), 'y']),
      Buffer.from('[1,"a"').toString('base64url'),
    ]) {
      expect(refusedField(cursor)).toBe('cursor');
    }
  });
});
