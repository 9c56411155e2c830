import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsObject, IsOptional, ValidateBy, ValidateNested, type ValidationOptions } from 'class-validator';
import { isInstant } from '../../common/instant.validator';
import { DefineSlaPolicyDto } from './define-sla-policy.dto';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A month (YYYY-MM, counted whole, London time) or a date-time with its zone. */
export const isMonthOrInstant = (value: unknown): value is string =>
  typeof value === 'string' && (MONTH.test(value) || (value.length > 10 && isInstant(value)));
export const isMonth = (value: string) => MONTH.test(value);

const IsMonthOrInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isMonthOrInstant',
      validator: {
        validate: isMonthOrInstant,
        defaultMessage: (args) => `${args?.property} must be a month (YYYY-MM) or an RFC 3339 date-time, e.g. 2023-07-03T09:00:00Z`,
      },
    },
    options,
  );

/** A policy version as POST /sla-policies defines one; effectiveFrom plays no part in a what-if (default: from). */
export class DraftSlaPolicyDto extends OmitType(DefineSlaPolicyDto, ['effectiveFrom', 'commandId'] as const) {
  @ApiPropertyOptional({
    example: '2024-04-01T00:00:00Z',
    description: 'ignored by the simulation, which applies the draft to every ticket in the range; checked as a definition checks it',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  effectiveFrom?: string;
}

/** What if the tickets raised from `from` to `to` had been measured by `policy`? */
export class SimulateSlaPolicyDto {
  @ApiProperty({ type: DraftSlaPolicyDto, example: { template: 'city-of-london-2023', name: 'IM2 at 2 hours' } })
  @IsObject()
  @ValidateNested()
  @Type(() => DraftSlaPolicyDto)
  policy: DraftSlaPolicyDto;

  @ApiProperty({ example: '2023-01', description: 'first month (YYYY-MM, from its start, London time) or an instant' })
  @IsMonthOrInstant()
  from: string;

  @ApiProperty({ example: '2023-03', description: 'last month (YYYY-MM, counted whole) or an instant (exclusive); at most 12 months after from' })
  @IsMonthOrInstant()
  to: string;
}
