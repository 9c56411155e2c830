import { DEFAULT_SLA_RULES, DEFAULT_WARNING_THRESHOLDS, cityOfLondon2023, invalid, sharedIct2019, type DefineSlaPolicyVersion } from '@itsm/domain';
import type { DefineSlaPolicyDto } from './dto/define-sla-policy.dto';

const TEMPLATES = { 'city-of-london-2023': cityOfLondon2023, 'shared-ict-2019': sharedIct2019 } as const;

/** The policy version a definition body describes: a shipped template (with overrides), or calendars and targets spelled out. */
export function policyDefinition(tenantId: string, dto: Omit<DefineSlaPolicyDto, 'commandId'>): DefineSlaPolicyVersion {
  if (dto.template) {
    if (dto.calendars || dto.targets) throw invalid('SLA_POLICY.TEMPLATE_OR_TARGETS', 'give a template, or calendars and targets, not both', 'template');
    const base = TEMPLATES[dto.template](tenantId, dto.effectiveFrom);
    return {
      ...base,
      ...(dto.name ? { name: dto.name } : {}),
      ...(dto.warningThresholdsPct ? { warningThresholdsPct: dto.warningThresholdsPct } : {}),
      rules: { ...base.rules, ...stripUndefined(dto.rules ?? {}) },
    };
  }
  if (!dto.calendars || !dto.targets || !dto.name) {
    throw invalid(
      'SLA_POLICY.INCOMPLETE',
      'without a template, name, calendars and targets are required',
      dto.name ? (dto.calendars ? 'targets' : 'calendars') : 'name',
    );
  }
  return {
    tenantId,
    effectiveFrom: dto.effectiveFrom,
    name: dto.name,
    calendars: dto.calendars.map((c) => stripUndefined({ ...c })),
    targets: dto.targets.map((t) => stripUndefined({ ...t })),
    rules: { ...DEFAULT_SLA_RULES, ...stripUndefined(dto.rules ?? {}) },
    warningThresholdsPct: dto.warningThresholdsPct ?? DEFAULT_WARNING_THRESHOLDS,
  };
}

/** The DTO's fields left unset dropped (a JSON round trip keeps T's shape otherwise). */
function stripUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}
