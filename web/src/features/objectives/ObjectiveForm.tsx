// New / edit objective dialog: level, title, parent (from the tree), owner, period, status, description.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createObjective,
  flattenTree,
  getObjectiveTree,
  OBJECTIVE_LEVEL_LABELS,
  OBJECTIVE_LEVELS,
  OBJECTIVE_STATUS_LABELS,
  OBJECTIVE_STATUSES,
  objectiveKeys,
  updateObjective,
  type ObjectiveDetail,
  type ObjectiveLevel,
  type ObjectiveNode,
  type ObjectiveStatus,
} from '../../api/objectives.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { OwnerSelect } from '../../components/OwnerSelect.tsx';

const RANK: Record<ObjectiveLevel, number> = { company: 0, marketing: 1, team: 2, individual: 3 };
const NEXT: Record<ObjectiveLevel, ObjectiveLevel> = { company: 'marketing', marketing: 'team', team: 'individual', individual: 'individual' };

function quarterOf(d = new Date()): { start: string; end: string } {
  const q = Math.floor(d.getUTCMonth() / 3);
  const start = new Date(Date.UTC(d.getUTCFullYear(), q * 3, 1));
  const end = new Date(Date.UTC(d.getUTCFullYear(), q * 3 + 3, 0));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

export function ObjectiveForm({ objective, parent, onClose, onSaved }: { objective?: ObjectiveNode; parent?: ObjectiveNode; onClose: () => void; onSaved: (d: ObjectiveDetail) => void }) {
  const qc = useQueryClient();
  const tree = useQuery({ queryKey: objectiveKeys.tree(''), queryFn: () => getObjectiveTree('') });
  const q = quarterOf();
  const [form, setForm] = useState({
    level: objective?.level ?? (parent ? NEXT[parent.level] : 'company'),
    title: objective?.title ?? '',
    parentId: objective?.parentId != null ? String(objective.parentId) : parent ? String(parent.id) : '',
    ownerId: objective?.owner ? String(objective.owner.id) : '',
    periodStart: objective ? (objective.periodStart ?? '') : (parent?.periodStart ?? q.start),
    periodEnd: objective ? (objective.periodEnd ?? '') : (parent?.periodEnd ?? q.end),
    status: objective?.status ?? ('active' as ObjectiveStatus),
    description: objective?.description ?? '',
  });
  const set = (p: Partial<typeof form>) => setForm({ ...form, ...p });
  // Parents: objectives at the same level or above, never this one or below it.
  const below = new Set<number>();
  if (objective) for (const { node } of flattenTree([findNode(tree.data?.roots ?? [], objective.id) ?? objective])) below.add(node.id);
  const parents = flattenTree(tree.data?.roots ?? []).filter(({ node }) => RANK[node.level] <= RANK[form.level] && !below.has(node.id));
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: async () => {
      const body = {
        level: form.level,
        title: form.title.trim(),
        parentId: form.level === 'company' || !form.parentId ? null : Number(form.parentId),
        ownerId: form.ownerId ? Number(form.ownerId) : null,
        periodStart: form.periodStart || null,
        periodEnd: form.periodEnd || null,
        status: form.status,
        description: form.description.trim() || null,
      };
      return objective ? updateObjective(objective.id, body) : createObjective(body);
    },
    onSuccess: (d) => {
      qc.invalidateQueries({ queryKey: ['objectives'] });
      qc.invalidateQueries({ queryKey: ['campaigns'] });
      onSaved(d);
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!form.title.trim()) errs.title = 'Say what the objective is';
    if (form.periodStart && form.periodEnd && form.periodStart > form.periodEnd) errs.periodEnd = 'Must be on or after the start';
    if (Object.keys(errs).length) return setErrors(errs);
    setErrors({});
    mutation.mutate();
  }
  return (
    <FormDialog
      title={objective ? 'Edit objective' : 'New objective'}
      formId="objective-form"
      formLabel={objective ? 'Edit objective' : 'New objective'}
      onClose={onClose}
      onSubmit={submit}
      error={topError}
      pending={mutation.isPending}
      submitLabel={objective ? 'Save objective' : 'Create objective'}
      pendingLabel="Saving…"
      wide
    >
      <div className="form-row">
        <SelectField label="Level" value={form.level} onChange={(e) => set({ level: e.target.value as ObjectiveLevel })} error={errors.level}>
          {OBJECTIVE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {OBJECTIVE_LEVEL_LABELS[l]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Status" value={form.status} onChange={(e) => set({ status: e.target.value as ObjectiveStatus })} error={errors.status}>
          {OBJECTIVE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {OBJECTIVE_STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField label="Title" value={form.title} onChange={(e) => set({ title: e.target.value })} error={errors.title} autoFocus placeholder="e.g. Double sales-ready leads from the mid-market" />
      {form.level !== 'company' && (
        <SelectField label="Serves (parent objective)" value={form.parentId} onChange={(e) => set({ parentId: e.target.value })} error={errors.parentId} hint="An objective that serves no parent is not relevant in the SMART check">
          <option value="">None</option>
          {parents.map(({ node, depth }) => (
            <option key={node.id} value={String(node.id)}>
              {'\u2003'.repeat(depth)}
              {OBJECTIVE_LEVEL_LABELS[node.level]}: {node.title}
            </option>
          ))}
        </SelectField>
      )}
      <OwnerSelect value={form.ownerId} onChange={(e) => set({ ownerId: e.target.value })} error={errors.ownerId} current={objective?.owner ?? null} />
      <div className="form-row">
        <TextField label="Period start" type="date" value={form.periodStart} onChange={(e) => set({ periodStart: e.target.value })} error={errors.periodStart} />
        <TextField label="Period end" type="date" value={form.periodEnd} onChange={(e) => set({ periodEnd: e.target.value })} error={errors.periodEnd} />
      </div>
      <TextField label="Description" value={form.description} onChange={(e) => set({ description: e.target.value })} error={errors.description} placeholder="Why it matters, how it will be reached" />
    </FormDialog>
  );
}

function findNode(nodes: ObjectiveNode[], id: number): ObjectiveNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const f = findNode(n.children, id);
    if (f) return f;
  }
  return undefined;
}
