// The selected step as a form: its name, the fields of its type (template and topic by name, a duration, a
// date, an event, a condition, a property value, a stage, a message) and where the contact goes next. The
// server's field errors (400 details with the path) show next to the field they name.
import { useId } from 'react';
import { Link } from 'react-router';
import { STEP_LABELS, type Step } from '../../api/nurture.ts';
import { LIFECYCLE_LABELS } from '../../api/types.ts';
import { ConditionForm, EventList } from './ConditionForm.tsx';
import { CONTENT_STAGE_LABELS, CONTENT_STAGES, DurationInput, LIFECYCLE_STAGES, Row, StepSelect, TypedValue, isoToLocalInput, localInputToIso, offsetOf, stepName, type Errs, type Pickers } from './controls.tsx';

/** What each step type does, in one line, shown under the step's heading. */
export const STEP_HELP: Record<Step['type'], string> = {
  send_email: 'Sends one email template to the contact, if they consented to its topic.',
  send_content: 'Sends the next published content item that fits the contact’s buying stage, skipping what they already read or were sent.',
  wait: 'Holds the contact here for a while before the next step.',
  wait_until: 'Holds the contact here until a date and time.',
  wait_event: 'Holds the contact until they do something (e.g. request a demo), or until the time runs out.',
  branch: 'Sends the contact one way or the other depending on a condition.',
  update_property: 'Sets a property on the contact (e.g. to tag the track they are on).',
  update_stage: 'Moves the contact to another lifecycle stage.',
  notify_owner: 'Tells the contact’s owner (a notification in revloop).',
  webhook: 'Calls a webhook with the event nurture.step (contact, program, step): one endpoint you choose, or every endpoint subscribed to that event.',
  exit: 'The contact leaves the program here.',
};

type Props = { step: Step; steps: Step[]; onChange: (s: Step) => void; pickers: Pickers; errs: Errs };

export function StepForm({ step, steps, onChange, pickers, errs }: Props) {
  const id = useId();
  const i = steps.findIndex((s) => s.id === step.id);
  const following = steps[i + 1];
  const set = (patch: Record<string, unknown>) => onChange({ ...step, ...patch } as Step);
  const nextSelect = (label: string, hint: string) => (
    <StepSelect label={label} hint={hint} steps={steps} self={step.id} value={step.next} onChange={(next) => onChange(withOptional(step, 'next', next))} allowFollowing followingName={following && stepName(following)} error={errs('next')} />
  );
  return (
    <div data-testid={`step-form-${step.type}`}>
      <p className="muted small" style={{ margin: '0 0 var(--s3)' }}>
        <strong>{STEP_LABELS[step.type]}.</strong> {STEP_HELP[step.type]}
      </p>
      <Row label="Name in the flow" id={`${id}-label`} error={errs('label')} hint="Optional; what the flow diagram and reports call this step.">
        <input id={`${id}-label`} className="input" value={step.label ?? ''} placeholder={STEP_LABELS[step.type]} onChange={(e) => onChange(withOptional(step, 'label', e.target.value || undefined))} />
      </Row>
      {(step.type === 'send_email' || step.type === 'send_content') && (
        <>
          <Row label="Email template" id={`${id}-tpl`} error={errs('templateId')} hint={step.type === 'send_content' ? 'Its {{ content }} is filled with the picked content item.' : undefined}>
            <select id={`${id}-tpl`} className="input" value={step.templateId || ''} onChange={(e) => set({ templateId: e.target.value ? Number(e.target.value) : undefined })}>
              <option value="">Choose a template…</option>
              {pickers.templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
              {step.templateId > 0 && pickers.loaded && !pickers.templates.some((t) => t.id === step.templateId) && <option value={step.templateId}>Missing template #{step.templateId}</option>}
            </select>
          </Row>
          {pickers.loaded && !pickers.templates.length && (
            <p className="small">
              No email templates yet: <Link to="/email/templates">create one under Email → Templates</Link>.
            </p>
          )}
          <Row label="Email topic" id={`${id}-topic`} error={errs('topicKey')} hint="Only contacts who consented to this topic receive it.">
            <select id={`${id}-topic`} className="input" value={step.topicKey} onChange={(e) => set({ topicKey: e.target.value })}>
              <option value="">Choose a topic…</option>
              {pickers.topics.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.name}
                </option>
              ))}
              {step.topicKey && pickers.loaded && !pickers.topics.some((t) => t.key === step.topicKey) && <option value={step.topicKey}>Missing topic “{step.topicKey}”</option>}
            </select>
          </Row>
          {step.type === 'send_content' && (
            <Row label="When the buying stage is unknown, use" id={`${id}-fb`} error={errs('fallbackStage')}>
              <select id={`${id}-fb`} className="input" value={step.fallbackStage} onChange={(e) => set({ fallbackStage: e.target.value })}>
                {CONTENT_STAGES.map((s) => (
                  <option key={s} value={s}>
                    {CONTENT_STAGE_LABELS[s]}
                  </option>
                ))}
              </select>
            </Row>
          )}
        </>
      )}
      {step.type === 'wait' && <DurationInput key={`${step.id}-d`} label="Wait for" value={step.duration} onChange={(duration) => set({ duration })} error={errs('duration')} testId="wait-duration" />}
      {step.type === 'wait_until' && (
        <Row label="Wait until" id={`${id}-until`} error={errs('until')} hint={`Your local time (UTC${offsetOf(new Date(step.until || Date.now()))}). Contacts arriving after it go straight on.`}>
          <input id={`${id}-until`} className="input" type="datetime-local" value={isoToLocalInput(step.until)} onChange={(e) => set({ until: localInputToIso(e.target.value) })} />
        </Row>
      )}
      {step.type === 'wait_event' && (
        <>
          <Row label="Event name" id={`${id}-ev`} error={errs('event')} hint="A tracked event, e.g. Demo Requested (suggestions come from the events received).">
            <input id={`${id}-ev`} className="input" list={`${id}-events`} value={step.event} onChange={(e) => set({ event: e.target.value })} />
            <EventList id={`${id}-events`} events={pickers.events} />
          </Row>
          <DurationInput key={`${step.id}-t`} label="Wait at most" value={step.timeout} onChange={(timeout) => set({ timeout })} error={errs('timeout')} />
          <StepSelect label="If the time runs out, go to" steps={steps} self={step.id} value={step.timeoutNext} onChange={(v) => onChange(withOptional(step, 'timeoutNext', v))} allowFollowing followingName={following && stepName(following)} error={errs('timeoutNext')} />
        </>
      )}
      {step.type === 'branch' && (
        <>
          <ConditionForm key={step.id} idPrefix={`branch-${step.id}`} label="If the contact…" value={step.condition} onChange={(condition) => set({ condition })} pickers={pickers} errs={(p) => errs(p ? `condition.${p}` : 'condition')} />
          <div className="form-row">
            <StepSelect label="Yes: go to" steps={steps} self={step.id} value={step.yes} onChange={(v) => set({ yes: v ?? null })} error={errs('yes')} />
            <StepSelect label="No: go to" steps={steps} self={step.id} value={step.no} onChange={(v) => set({ no: v ?? null })} error={errs('no')} />
          </div>
        </>
      )}
      {step.type === 'update_property' && (
        <>
          <Row label="Property" id={`${id}-key`} error={errs('key')} hint="snake_case key, e.g. nurture_track; a new key creates the property on the contact.">
            <input id={`${id}-key`} className="input" list={`${id}-keys`} value={step.key} onChange={(e) => set({ key: e.target.value })} />
            <datalist id={`${id}-keys`}>
              {pickers.propertyKeys.map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          </Row>
          <TypedValue key={`${step.id}-v`} label="Set it to" value={step.value} onChange={(value) => set({ value })} error={errs('value')} />
        </>
      )}
      {step.type === 'update_stage' && (
        <>
          <Row label="Move to lifecycle stage" id={`${id}-stage`} error={errs('stage')}>
            <select id={`${id}-stage`} className="input" value={step.stage} onChange={(e) => set({ stage: e.target.value })}>
              {LIFECYCLE_STAGES.map((s) => (
                <option key={s} value={s}>
                  {LIFECYCLE_LABELS[s]}
                </option>
              ))}
            </select>
          </Row>
          <Row label="Reason" id={`${id}-reason`} error={errs('reason')} hint="Optional; shown in the contact’s stage history.">
            <input id={`${id}-reason`} className="input" value={step.reason ?? ''} onChange={(e) => onChange(withOptional(step, 'reason', e.target.value || undefined))} />
          </Row>
        </>
      )}
      {step.type === 'notify_owner' && (
        <Row label="Message to the owner" id={`${id}-msg`} error={errs('message')}>
          <textarea id={`${id}-msg`} className="input" rows={3} value={step.message} onChange={(e) => set({ message: e.target.value })} />
        </Row>
      )}
      {step.type === 'webhook' && (
        <Row
          label="Webhook endpoint"
          id={`${id}-hook`}
          error={errs('endpointId')}
          hint={
            pickers.webhooks.length ? (
              'Endpoints are managed by admins under Settings → Webhooks; a disabled endpoint is skipped.'
            ) : (
              <>No webhook endpoints yet: an admin adds them under <Link to="/settings/webhooks">Settings → Webhooks</Link>.</>
            )
          }
        >
          <select id={`${id}-hook`} className="input" value={step.endpointId ?? ''} onChange={(e) => onChange(withOptional(step, 'endpointId', e.target.value ? Number(e.target.value) : undefined))}>
            <option value="">Every endpoint subscribed to nurture.step ({pickers.webhooks.filter((w) => w.subscribed && w.enabled).length})</option>
            {pickers.webhooks.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name === w.host ? w.host : `${w.name} (${w.host})`}
                {w.enabled ? '' : ' (disabled)'}
              </option>
            ))}
            {step.endpointId !== undefined && !pickers.webhooks.some((w) => w.id === step.endpointId) && <option value={step.endpointId}>Missing endpoint #{step.endpointId}</option>}
          </select>
        </Row>
      )}
      {step.type === 'webhook' && (
        <Row label="Note" id={`${id}-note`} error={errs('note')} hint="Optional; sent with the webhook so your endpoint knows why it was called.">
          <input id={`${id}-note`} className="input" value={step.note ?? ''} onChange={(e) => onChange(withOptional(step, 'note', e.target.value || undefined))} />
        </Row>
      )}
      {step.type === 'wait_event' && nextSelect('When the event happens, go to', 'Usually the next step in the list.')}
      {step.type !== 'branch' && step.type !== 'exit' && step.type !== 'wait_event' && nextSelect('Then go to', 'Usually the next step in the list; choose another to jump.')}
    </div>
  );
}

/** The step with `key` set, or removed when `v` is undefined (so "the next step in the list" is stored as no key). */
function withOptional(step: Step, key: string, v: unknown): Step {
  const out = { ...step } as Record<string, unknown>;
  if (v === undefined) delete out[key];
  else out[key] = v;
  return out as Step;
}
