import { parse } from 'csv-parse/sync';
import { isInstant } from '../src/common/instant.validator';
import { FixedWindowThrottlerStorage } from '../src/common/rate-limit';
import { jsonDepthExceeds, requestBodyProblem } from '../src/common/request-body';
import { csvSafeText, toCsv } from '../src/reports/report-format';

describe('CSV cells a spreadsheet would run as formulas', () => {
  it('get a leading single quote: = + - @ tab and carriage return', () => {
    for (const v of ['=HYPERLINK("https://evil.example","x")', '+1+cmd|calc', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1', '=', '-'])
      expect(csvSafeText(v)).toBe(`'${v}`);
    for (const v of ['Printers down', 'a=b', '', ' =1', "'=already"]) expect(csvSafeText(v)).toBe(v);
  });

  it('numbers stay numbers: number values, and text that is only a number', () => {
    for (const v of ['-5', '-12.5', '+3', '-1e3', '-.5']) expect(csvSafeText(v)).toBe(v);
    const [row] = parse(toCsv([{ delta: -5, pct: -12.5, note: '=1+1', neg: '-7', flag: false, nested: { x: -1, y: '@x' } }]), { columns: true });
    expect(row).toEqual({ delta: '-5', pct: '-12.5', note: "'=1+1", neg: '-7', flag: 'false', 'nested.x': '-1', 'nested.y': "'@x" });
  });

  it('header cells too', () => {
    const [header] = toCsv([{ '=cmd': 1 }]).split('\n');
    expect(header).toBe("'=cmd");
  });
});

describe('instants the API reads (asOfRecorded)', () => {
  it('are RFC 3339 dates and date-times that exist', () => {
    for (const v of ['2023-07-03', '2023-07-03T09:00:00Z', '2023-07-03T09:00Z', '2023-07-03T09:00:00.123+01:00', '2024-02-29T00:00:00Z'])
      expect(isInstant(v)).toBe(true);
  });
  it('refuse ISO 8601 forms Date cannot read, impossible days and times, and non-strings', () => {
    for (const v of [
      '2023-W27-1',
      '2023-W27',
      '2023-184',
      '2023-07-03T09:00:00',
      '2023-02-30T00:00:00Z',
      '2023-02-29',
      '2023-13-01',
      '2023-07-03T24:00:00Z',
      '2023-07-03T09:60:00Z',
      '+002023-07-03T00:00:00Z',
      '99999-01-01',
      '',
      1,
      ['2023-07-03'],
    ]) {
      expect(isInstant(v)).toBe(false);
    }
  });
});

describe('JSON depth', () => {
  const depth = (s: string) => jsonDepthExceeds(Buffer.from(s), 3);
  it('counts nesting of arrays and objects, not brackets in strings', () => {
    expect(depth('[[[]]]')).toBe(false);
    expect(depth('[[[[]]]]')).toBe(true);
    expect(depth('{"a":{"b":{"c":{}}}}')).toBe(true);
    expect(depth('{"a":"[[[[[[{{{{"}')).toBe(false);
    expect(depth('{"a":"\\"[[[[[[{{{{"}')).toBe(false);
  });
  it('body-parser errors become problems naming the field and rule', () => {
    expect(requestBodyProblem({ type: 'entity.too.large' })?.body).toMatchObject({
      status: 413,
      code: 'REQUEST.TOO_LARGE',
      errors: [{ field: 'body', rule: 'maxSize' }],
    });
    expect(requestBodyProblem({ type: 'entity.too.deep' })?.body).toMatchObject({ status: 400, errors: [{ field: 'body', rule: 'maxDepth' }] });
    expect(requestBodyProblem({ type: 'encoding.unsupported', encoding: 'compress' })?.body).toMatchObject({
      status: 415,
      errors: [{ field: 'Content-Encoding' }],
    });
    expect(requestBodyProblem(new Error('something else'))).toBeUndefined();
  });
});

describe('the rate-limit window store', () => {
  it('counts per key in fixed windows and says how long until the window ends', async () => {
    let now = 120_000 + 15_000;
    const store = new FixedWindowThrottlerStorage(() => now);
    for (let i = 1; i <= 3; i++) expect(await store.increment('a', 60_000, 3, 60_000, 'default')).toMatchObject({ totalHits: i, isBlocked: false });
    expect(await store.increment('a', 60_000, 3, 60_000, 'default')).toEqual({ totalHits: 4, isBlocked: true, timeToExpire: 45, timeToBlockExpire: 45 });
    expect(await store.increment('b', 60_000, 3, 60_000, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    now = 180_000;
    expect(await store.increment('a', 60_000, 3, 60_000, 'default')).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
  });

  it('costs the same at the thousandth request as at the first (no per-request log)', async () => {
    const store = new FixedWindowThrottlerStorage(() => 0);
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200_000; i++) await store.increment('bench', 60_000, 1_000_000, 60_000, 'default');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2_000);
  });
});
