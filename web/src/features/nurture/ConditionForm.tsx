// A condition on a contact, as a form: the kind ("lifecycle stage is one of", "score is at least", …) and the
// fields that kind needs. Used by branches, exit criteria and goals. Every kind of the contract's Condition.
import { useId } from 'react';
import { LIFECYCLE_LABELS } from '../../api/types.ts';
import type { Condition } from '../../../../src/contracts/nurture.ts';
import { CONTENT_STAGE_LABELS, CONTENT_STAGES, LIFECYCLE_STAGES, Row, StageChecks, TypedValue, type Errs, type Pickers } from './controls.tsx';

export type { Condition };
type Kind = Condition['kind'];

export const CONDITION_LABELS: Record<Kind, string> = {
  stage_in: 'Lifecycle stage is one of',
  buying_stage_in: 'Buying stage is one of',
  score_at_least: 'Score is at least',
  property_equals: 'Property equals',
  in_segment: 'Is in segment',
  did_event: 'Did an event (since entering the program)',
  unsubscribed: 'Unsubscribed',
};

const EMPTY: Record<Kind, Condition> = {
  stage_in: { kind: 'stage_in', stages: ['marketing_qualified'] },
  buying_stage_in: { kind: 'buying_stage_in', stages: ['consideration'] },
  score_at_least: { kind: 'score_at_least', score: 'engagement', value: 40 },
  property_equals: { kind: 'property_equals', key: '', value: '' },
  in_segment: { kind: 'in_segment', segmentId: 0 },
  did_event: { kind: 'did_event', event: '' },
  unsubscribed: { kind: 'unsubscribed' },
};

/** One line in plain words, for the flow diagram and lists. */
export function describeCondition(c: Condition, p?: Pickers): string {
  switch (c.kind) {
    case 'stage_in':
      return `stage is ${c.stages.map((s) => LIFECYCLE_LABELS[s] ?? s).join(' or ')}`;
    case 'buying_stage_in':
      return `buying stage is ${c.stages.map((s) => CONTENT_STAGE_LABELS[s] ?? s).join(' or ')}`;
    case 'score_at_least':
      return `${c.score} score ≥ ${c.value}`;
    case 'property_equals':
      return `${c.key} = ${JSON.stringify(c.value)}`;
    case 'in_segment':
      return `in segment ${p?.segments.find((s) => s.id === c.segmentId)?.name ?? `#${c.segmentId}`}`;
    case 'did_event':
      return `did “${c.event}”`;
    case 'unsubscribed':
      return c.topicKey ? `unsubscribed from ${p?.topics.find((t) => t.key === c.topicKey)?.name ?? c.topicKey}` : 'unsubscribed from anything';
  }
}

export function ConditionForm({ value, onChange, pickers, errs, label = 'Condition', idPrefix }: { value: Condition; onChange: (c: Condition) => void; pickers: Pickers; errs: Errs; label?: string; idPrefix: string }) {
  const id = useId();
  const c = value;
  return (
    <div data-testid={`${idPrefix}-condition`}>
      <Row label={label} id={`${id}-kind`} error={errs('kind')}>
        <select id={`${id}-kind`} className="input" value={c.kind} onChange={(e) => onChange(EMPTY[e.target.value as Kind])}>
          {(Object.keys(CONDITION_LABELS) as Kind[]).map((k) => (
            <option key={k} value={k}>
              {CONDITION_LABELS[k]}
            </option>
          ))}
        </select>
      </Row>
      <div style={{ paddingLeft: 'var(--s3)', borderLeft: '3px solid var(--border)' }}>
        {c.kind === 'stage_in' && (
          <StageChecks label="Lifecycle stages" all={LIFECYCLE_STAGES} labels={LIFECYCLE_LABELS} value={c.stages} onChange={(stages) => onChange({ ...c, stages })} hint="True when the contact is in any ticked stage." error={errs('stages')} />
        )}
        {c.kind === 'buying_stage_in' && (
          <StageChecks label="Buying stages" all={CONTENT_STAGES} labels={CONTENT_STAGE_LABELS} value={c.stages} onChange={(stages) => onChange({ ...c, stages })} hint="The stage inferred from the content the contact consumed." error={errs('stages')} />
        )}
        {c.kind === 'score_at_least' && (
          <div className="form-row">
            <Row label="Score" id={`${id}-score`}>
              <select id={`${id}-score`} className="input" value={c.score} onChange={(e) => onChange({ ...c, score: e.target.value as 'engagement' | 'fit' })}>
                <option value="engagement">Engagement (behaviour)</option>
                <option value="fit">Fit (who they are)</option>
              </select>
            </Row>
            <Row label="At least" id={`${id}-value`} error={errs('value')}>
              <input id={`${id}-value`} className="input" type="number" min={0} value={Number.isNaN(c.value) ? '' : c.value} onChange={(e) => onChange({ ...c, value: e.target.value === '' ? Number.NaN : Number(e.target.value) })} />
            </Row>
          </div>
        )}
        {c.kind === 'property_equals' && (
          <>
            <Row label="Property" id={`${id}-key`} error={errs('key')} hint="A contact property's key, e.g. interest.">
              <input id={`${id}-key`} className="input" list={`${id}-keys`} value={c.key} onChange={(e) => onChange({ ...c, key: e.target.value })} />
              <datalist id={`${id}-keys`}>
                {pickers.propertyKeys.map((k) => (
                  <option key={k} value={k} />
                ))}
              </datalist>
            </Row>
            <TypedValue key={`${idPrefix}-pv`} label="Equals" value={c.value} onChange={(v) => onChange({ ...c, value: v })} error={errs('value')} />
          </>
        )}
        {c.kind === 'in_segment' && (
          <Row label="Segment" id={`${id}-seg`} error={errs('segmentId')} hint={pickers.segments.length ? 'Membership as of the segment’s last rebuild.' : 'No segments yet: build one under Market → Segments.'}>
            <select id={`${id}-seg`} className="input" value={c.segmentId || ''} onChange={(e) => onChange({ ...c, segmentId: Number(e.target.value) })}>
              <option value="">Choose a segment…</option>
              {pickers.segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Row>
        )}
        {c.kind === 'did_event' && (
          <Row label="Event name" id={`${id}-ev`} error={errs('event')} hint="A tracked event, e.g. Demo Requested; counts events since the contact entered.">
            <input id={`${id}-ev`} className="input" list={`${id}-events`} value={c.event} onChange={(e) => onChange({ ...c, event: e.target.value })} />
            <EventList id={`${id}-events`} events={pickers.events} />
          </Row>
        )}
        {c.kind === 'unsubscribed' && (
          <Row label="From topic" id={`${id}-topic`} error={errs('topicKey')} hint="Any topic, or one email topic in particular.">
            <select id={`${id}-topic`} className="input" value={c.topicKey ?? ''} onChange={(e) => onChange(e.target.value ? { ...c, topicKey: e.target.value } : { kind: 'unsubscribed' })}>
              <option value="">Any topic (or all email)</option>
              {pickers.topics.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.name}
                </option>
              ))}
            </select>
          </Row>
        )}
      </div>
    </div>
  );
}

export function EventList({ id, events }: { id: string; events: string[] }) {
  return (
    <datalist id={id}>
      {events.map((e) => (
        <option key={e} value={e} />
      ))}
    </datalist>
  );
}
