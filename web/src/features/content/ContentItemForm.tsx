// New / edit content item dialog: title, type, format, buying stage, topics / segments / products, owner, reader
// research, dates (publish, due + the step due), URL match rules (one per line; a line ending in * matches every page
// under it) and the SMEs who contributed (pick existing ones or add one by name).
import { useId, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  CONTENT_FORMAT_LABELS,
  CONTENT_STAGE_LABELS,
  CONTENT_STATUS_LABELS,
  CONTENT_TYPE_LABELS,
  ContentFormatSchema,
  ContentStageSchema,
  ContentTypeSchema,
  contentKeys,
  createContentItem,
  createSme,
  listSmes,
  splitTags,
  updateContentItem,
  WORKFLOW_STEPS,
  type ContentItem,
} from '../../api/content.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { OwnerSelect } from '../../components/OwnerSelect.tsx';

type F = Record<'title' | 'type' | 'format' | 'stage' | 'topics' | 'segments' | 'products' | 'ownerId' | 'summary' | 'targetReader' | 'researchNotes' | 'publishDate' | 'dueDate' | 'dueStatus' | 'urls' | 'newSme', string>;

export function urlLines(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l.endsWith('*') ? { url: l.replace(/\/?\*$/, ''), kind: 'prefix' as const } : { url: l, kind: 'exact' as const }));
}

export function ContentItemForm({ item, preset, onClose, onSaved }: { item?: ContentItem; preset?: { publishDate?: string }; onClose: () => void; onSaved: (i: ContentItem) => void }) {
  const qc = useQueryClient();
  const urlsId = useId();
  const smes = useQuery({ queryKey: contentKeys.smes, queryFn: listSmes });
  const [picked, setPicked] = useState<number[]>(item?.smes.map((s) => s.id) ?? []);
  const [form, setForm] = useState<F>({
    title: item?.title ?? '',
    type: item?.type ?? 'practical',
    format: item?.format ?? 'article',
    stage: item?.stage ?? 'awareness',
    topics: item?.topics.join(', ') ?? '',
    segments: item?.segments.join(', ') ?? '',
    products: item?.products.join(', ') ?? '',
    ownerId: item?.owner ? String(item.owner.id) : '',
    summary: item?.summary ?? '',
    targetReader: item?.targetReader ?? '',
    researchNotes: item?.researchNotes ?? '',
    publishDate: item?.publishDate ?? preset?.publishDate ?? '',
    dueDate: item?.dueDate ?? '',
    dueStatus: item?.dueStatus ?? '',
    urls: item?.urls.map((u) => (u.kind === 'prefix' ? `${u.url.replace(/\/$/, '')}/*` : u.url)).join('\n') ?? '',
    newSme: '',
  });
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: async () => {
      const ids = [...picked];
      if (form.newSme.trim()) ids.push((await createSme({ name: form.newSme.trim() })).id);
      const roleOf = (id: number) => item?.smes.find((s) => s.id === id)?.role ?? 'interview';
      const body = {
        title: form.title.trim(),
        type: form.type as ContentItem['type'],
        format: form.format as ContentItem['format'],
        stage: form.stage as ContentItem['stage'],
        topics: splitTags(form.topics),
        segments: splitTags(form.segments),
        products: splitTags(form.products),
        ownerId: form.ownerId ? Number(form.ownerId) : null,
        summary: form.summary.trim() || null,
        targetReader: form.targetReader.trim() || null,
        researchNotes: form.researchNotes.trim() || null,
        publishDate: form.publishDate || null,
        dueDate: form.dueDate || null,
        dueStatus: (form.dueStatus || null) as ContentItem['dueStatus'],
        urls: urlLines(form.urls),
        smes: ids.map((smeId) => ({ smeId, role: roleOf(smeId) })),
      };
      return item ? updateContentItem(item.id, body) : createContentItem(body);
    },
    onSuccess: (i) => {
      qc.invalidateQueries({ queryKey: ['content-items'] });
      qc.invalidateQueries({ queryKey: ['content-item', i.id] });
      qc.invalidateQueries({ queryKey: ['content-calendar'] });
      qc.invalidateQueries({ queryKey: contentKeys.smes });
      onSaved(i);
    },
    focusInvalid: true,
  });
  const set = (p: Partial<F>) => setForm({ ...form, ...p });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.title.trim()) return setErrors({ title: 'Give the item a working title' });
    setErrors({});
    mutation.mutate();
  }
  const urlError = errors.urls ?? Object.entries(errors).find(([k]) => k.startsWith('urls'))?.[1];
  return (
    <FormDialog title={item ? 'Edit content item' : 'New content item'} formId="content-form" formLabel={item ? 'Edit content item' : 'New content item'} onClose={onClose} onSubmit={submit} error={topError} pending={mutation.isPending} submitLabel={item ? 'Save item' : 'Create item'} pendingLabel="Saving…" wide>
      <TextField label="Title" value={form.title} onChange={(e) => set({ title: e.target.value })} error={errors.title} autoFocus />
      <div className="form-row">
        <SelectField label="Buying stage" value={form.stage} onChange={(e) => set({ stage: e.target.value })} error={errors.stage}>
          {ContentStageSchema.options.map((s) => (
            <option key={s} value={s}>
              {CONTENT_STAGE_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Type" value={form.type} onChange={(e) => set({ type: e.target.value })} error={errors.type} hint="Aspirational: where the reader's world is going. Practical: how to do it.">
          {ContentTypeSchema.options.map((s) => (
            <option key={s} value={s}>
              {CONTENT_TYPE_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Format" value={form.format} onChange={(e) => set({ format: e.target.value })} error={errors.format}>
          {ContentFormatSchema.options.map((s) => (
            <option key={s} value={s}>
              {CONTENT_FORMAT_LABELS[s]}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-row">
        <TextField label="Topics" value={form.topics} onChange={(e) => set({ topics: e.target.value })} error={errors.topics} hint="Comma separated" />
        <TextField label="Segments / markets" value={form.segments} onChange={(e) => set({ segments: e.target.value })} error={errors.segments} />
        <TextField label="Products" value={form.products} onChange={(e) => set({ products: e.target.value })} error={errors.products} />
      </div>
      <div className="form-row">
        <OwnerSelect value={form.ownerId} onChange={(e) => set({ ownerId: e.target.value })} error={errors.ownerId} current={item?.owner ?? null} />
        <TextField label="Publish date" type="date" value={form.publishDate} onChange={(e) => set({ publishDate: e.target.value })} error={errors.publishDate} />
      </div>
      <div className="form-row">
        <TextField label="Due date" type="date" value={form.dueDate} onChange={(e) => set({ dueDate: e.target.value })} error={errors.dueDate} />
        <SelectField label="Step due by then" value={form.dueStatus} onChange={(e) => set({ dueStatus: e.target.value })} error={errors.dueStatus} hint="Overdue when the date passes before the item reaches this step">
          <option value="">Published</option>
          {WORKFLOW_STEPS.filter((s) => s !== 'idea').map((s) => (
            <option key={s} value={s}>
              {CONTENT_STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField label="Target reader" value={form.targetReader} onChange={(e) => set({ targetReader: e.target.value })} error={errors.targetReader} placeholder="e.g. CFOs of mid-market SaaS companies" />
      <div className="field">
        <label htmlFor={`${urlsId}-notes`}>Reader research notes</label>
        <textarea id={`${urlsId}-notes`} className="input" rows={2} value={form.researchNotes} onChange={(e) => set({ researchNotes: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={urlsId}>URLs</label>
        <textarea id={urlsId} className={`input mono${urlError ? ' invalid' : ''}`} rows={2} value={form.urls} onChange={(e) => {
            set({ urls: e.target.value });
            if (urlError) setErrors(Object.fromEntries(Object.entries(errors).filter(([k]) => !k.startsWith('urls'))));
          }} placeholder="https://example.com/blog/the-post" aria-invalid={urlError ? true : undefined} />
        {urlError ? <span className="field-error" role="alert">{urlError}</span> : <span className="hint">One per line; the first is the canonical URL. End a line with * to match every page under it. Query strings and trailing slashes are ignored.</span>}
      </div>
      <div className="field">
        <label>Subject-matter experts</label>
        <div className="sme-picks" data-testid="sme-picks">
          {(smes.data?.items ?? []).map((s) => (
            <label key={s.id} className="checkbox-inline">
              <input type="checkbox" checked={picked.includes(s.id)} onChange={(e) => setPicked(e.target.checked ? [...picked, s.id] : picked.filter((x) => x !== s.id))} /> {s.name}
            </label>
          ))}
          {smes.data?.items.length === 0 && <span className="muted small">No SMEs yet: add the first one below.</span>}
        </div>
        <input className={`input${errors.smes ? ' invalid' : ''}`} aria-label="Add an SME by name" placeholder="Add an SME by name" value={form.newSme} onChange={(e) => set({ newSme: e.target.value })} />
        {errors.smes && <span className="field-error" role="alert">{errors.smes}</span>}
      </div>
    </FormDialog>
  );
}
