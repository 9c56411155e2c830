import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * RFC 3339: a date (`2023-07-03`) or a date-time with seconds optional and a zone
 * (`2023-07-03T09:00:00Z`, `2023-07-03T10:00:00.5+01:00`). ISO 8601's other forms (week dates
 * `2023-W27-1`, ordinal dates `2023-184`, expanded years, no zone) pass class-validator's IsISO8601
 * but not `new Date()`, which gave an Invalid Date and a 500 further on.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/i;

/** True for an RFC 3339 date or date-time that names a real day and time (no 30 February, no 25:00). */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [, y, mo, d, h = '0', mi = '0', s = '0', zh = '0', zm = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(zh) > 23 || Number(zm) > 59) return false;
  return Number.isFinite(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value));
}

/** An instant the API can read: RFC 3339 (see isInstant); the problem names the field and the rule `isInstant`. */
export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value) => isInstant(value),
        defaultMessage: (args) => `${args?.property} must be an RFC 3339 date or date-time, e.g. 2023-07-03T09:00:00Z`,
      },
    },
    options,
  );
