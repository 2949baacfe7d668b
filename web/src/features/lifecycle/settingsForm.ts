// Lifecycle settings as the settings form edits them (strings while typing) and back to the API shape.
import type { HandoffPoint, LifecycleSettings } from '../../api/lifecycle.ts';
import { formToRule, ruleToForm, type RuleForm } from './RuleFields.tsx';

export interface PointForm {
  name: string;
  field: string;
  op: string;
  value: string;
  mode: 'sales' | 'self_service';
}

export interface TerritoryForm {
  name: string;
  field: string;
  op: string;
  value: string;
  ownerId: string;
}

export interface Form {
  leadOn: boolean;
  lead: RuleForm;
  mqlOn: boolean;
  mql: RuleForm;
  cooldown: string;
  lostDealStage: 'recycled' | 'disqualified';
  slaHours: string;
  routingMode: LifecycleSettings['routing']['mode'];
  pool: number[];
  territories: TerritoryForm[];
  points: PointForm[];
}

export const FIELD_HINTS = ['properties.product_line', 'account.employeeCount', 'account.industry', 'account.country', 'title', 'emailDomain'];

export function toForm(s: LifecycleSettings): Form {
  return {
    leadOn: s.leadRule !== null,
    lead: ruleToForm(s.leadRule ?? { minEngagement: 5 }),
    mqlOn: s.mqlRule !== null,
    mql: ruleToForm(s.mqlRule ?? { minFitGrade: 'C', minEngagement: 30 }),
    cooldown: String(s.recycleCooldownDays),
    lostDealStage: s.lostDealStage,
    slaHours: String(s.sla.salesReadyAcceptHours),
    routingMode: s.routing.mode,
    pool: [...s.routing.pool],
    territories: s.routing.territories.map((t) => ({
      name: t.name,
      field: t.match.field,
      op: t.match.op,
      value: t.match.value == null ? '' : Array.isArray(t.match.value) ? t.match.value.join(', ') : String(t.match.value),
      ownerId: String(t.ownerId),
    })),
    points: s.handoffPoints.map((p) => ({
      name: p.name,
      field: p.match?.field ?? '',
      op: p.match?.op ?? 'eq',
      value: p.match?.value == null ? '' : Array.isArray(p.match.value) ? p.match.value.join(', ') : String(p.match.value),
      mode: p.mode,
    })),
  };
}

function pointValue(op: string, raw: string): unknown {
  if (op === 'exists') return undefined;
  if (op === 'in' || op === 'not_in') return raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (['gt', 'gte', 'lt', 'lte'].includes(op)) return raw.trim() === '' ? raw : Number(raw);
  return raw;
}

export function toSettings(f: Form, base: LifecycleSettings): LifecycleSettings {
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  return {
    ...base,
    leadRule: f.leadOn ? formToRule(f.lead) : null,
    mqlRule: f.mqlOn ? formToRule(f.mql) : null,
    recycleCooldownDays: num(f.cooldown),
    lostDealStage: f.lostDealStage,
    sla: { ...base.sla, salesReadyAcceptHours: num(f.slaHours) },
    routing: {
      mode: f.routingMode,
      pool: f.pool,
      territories: f.territories.map(
        (t) =>
          ({
            name: t.name,
            match: { field: t.field.trim(), op: t.op, ...(t.op === 'exists' ? {} : { value: pointValue(t.op, t.value) }) },
            ownerId: Number(t.ownerId),
          }) as LifecycleSettings['routing']['territories'][number],
      ),
    },
    handoffPoints: f.points.map(
      (p) =>
        ({
          name: p.name,
          match: p.field.trim() ? { field: p.field.trim(), op: p.op, ...(p.op === 'exists' ? {} : { value: pointValue(p.op, p.value) }) } : null,
          mode: p.mode,
        }) as HandoffPoint,
    ),
  };
}

