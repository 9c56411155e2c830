import type { Priority } from '../catalogue/priority';
import { LONDON_WORKING_HOURS, ROUND_THE_CLOCK } from './business-calendar';
import { DEFAULT_SLA_RULES, DEFAULT_WARNING_THRESHOLDS, type DefineSlaPolicyVersion, type SlaTarget } from './sla-policy';

const HOUR = 60;
const WORKING_DAY = 8 * HOUR;
const t = (
  priority: Priority,
  metric: SlaTarget['metric'],
  targetMinutes: number,
  calendarId: string,
  goalPct: number,
  reference?: string,
  kind: SlaTarget['kind'] = 'incident',
): SlaTarget => ({
  kind,
  priority,
  metric,
  targetMinutes,
  calendarId,
  goalPct,
  ...(reference ? { reference } : {}),
});
const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];

/**
 * City of London Corporation and Police, 2023 (DOMAIN.md): SD3–SD6 response, IM1–IM4 resolution,
 * SRM1 standard requests and SRM2 starters/movers/leavers within 5 business days.
 * P1/P2 clocks run 24x7; P3/P4 and requests run in working hours.
 */
export const cityOfLondon2023 = (tenantId: string, effectiveFrom = '2023-01-01T00:00:00Z'): DefineSlaPolicyVersion => ({
  tenantId,
  effectiveFrom,
  name: 'City of London IT service levels 2023',
  calendars: [ROUND_THE_CLOCK, LONDON_WORKING_HOURS],
  targets: [
    t('P1', 'response', 15, '24x7', 98, 'SD3'),
    t('P2', 'response', 15, '24x7', 98, 'SD4'),
    t('P3', 'response', 2 * HOUR, 'working-hours', 95, 'SD5'),
    t('P4', 'response', 8 * HOUR, 'working-hours', 95, 'SD6'),
    t('P1', 'resolution', 2 * HOUR, '24x7', 98, 'IM1'),
    t('P2', 'resolution', 4 * HOUR, '24x7', 98, 'IM2'),
    t('P3', 'resolution', 8 * HOUR, 'working-hours', 90, 'IM3'),
    t('P4', 'resolution', 5 * WORKING_DAY, 'working-hours', 90, 'IM4'),
    ...PRIORITIES.map((p) => t(p, 'resolution', 5 * WORKING_DAY, 'working-hours', 95, 'SRM1', 'service_request')),
    ...PRIORITIES.map((p) => t(p, 'resolution', 5 * WORKING_DAY, 'working-hours', 98, 'SRM2', 'starter_mover_leaver')),
  ],
  rules: DEFAULT_SLA_RULES,
  warningThresholdsPct: DEFAULT_WARNING_THRESHOLDS,
});

/**
 * Shared ICT Service (Brent, Lewisham, Southwark), 2019: resolution in working hours —
 * P1 95% in 4h, P2 95% in 8h, P3 80% in 2 working days, P4 80% within the request type's SLA
 * (5 working days here, for want of a per-type catalogue).
 */
export const sharedIct2019 = (tenantId: string, effectiveFrom = '2019-01-01T00:00:00Z'): DefineSlaPolicyVersion => ({
  tenantId,
  effectiveFrom,
  name: 'Shared ICT Service levels 2019',
  calendars: [LONDON_WORKING_HOURS],
  targets: [
    ...(['incident', 'service_request', 'starter_mover_leaver'] as const).flatMap((kind) => [
      t('P1', 'resolution', 4 * HOUR, 'working-hours', 95, 'P1', kind),
      t('P2', 'resolution', 8 * HOUR, 'working-hours', 95, 'P2', kind),
      t('P3', 'resolution', 2 * WORKING_DAY, 'working-hours', 80, 'P3', kind),
      t('P4', 'resolution', 5 * WORKING_DAY, 'working-hours', 80, 'P4', kind),
    ]),
  ],
  rules: DEFAULT_SLA_RULES,
  warningThresholdsPct: DEFAULT_WARNING_THRESHOLDS,
});
