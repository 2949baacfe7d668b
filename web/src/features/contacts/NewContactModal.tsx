// "New contact" dialog.
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { createContact } from '../../api/contacts.ts';
import type { Contact } from '../../api/types.ts';
import { usePropertyDefs } from '../../components/usePropertyDefs.ts';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { ContactFields, emptyContactForm, formToInput } from './ContactFields.tsx';

export function NewContactModal({ onClose, onCreated }: { onClose: () => void; onCreated: (c: Contact) => void }) {
  const qc = useQueryClient();
  const defs = usePropertyDefs('contact');
  const [form, setForm] = useState(emptyContactForm());
  const { mutation: create, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => createContact(formToInput(form, defs)),
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: ['contacts'] });
      onCreated(c);
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.email.trim()) return setErrors({ email: 'Enter an email address' });
    setErrors({});
    create.mutate();
  }
  return (
    <FormDialog title="New contact" formId="new-contact" formLabel="New contact" onClose={onClose} onSubmit={submit} error={topError} pending={create.isPending} submitLabel="Create contact" pendingLabel="Creating…" wide>
      <ContactFields form={form} setForm={setForm} errors={errors} defs={defs} />
    </FormDialog>
  );
}
