// "New contact" dialog.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, errorMessage, type FieldErrors } from '../../api/client.ts';
import { createContact, keys, listProperties } from '../../api/contacts.ts';
import type { Contact } from '../../api/types.ts';
import { Modal } from '../../components/Modal.tsx';
import { focusFirstInvalid } from '../../components/Field.tsx';
import { ContactFields, emptyContactForm, formToInput } from './ContactFields.tsx';

export function NewContactModal({ onClose, onCreated }: { onClose: () => void; onCreated: (c: Contact) => void }) {
  const qc = useQueryClient();
  const props = useQuery({ queryKey: keys.properties('contact'), queryFn: () => listProperties('contact') });
  const defs = props.data?.items ?? [];
  const [form, setForm] = useState(emptyContactForm());
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: () => createContact(formToInput(form, defs)),
    onSuccess: (c) => {
      qc.invalidateQueries({ queryKey: ['contacts'] });
      onCreated(c);
    },
    onError: (e) => {
      setErrors(e instanceof ApiError ? e.fieldErrors : {});
      focusFirstInvalid();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.email.trim()) return setErrors({ email: 'Enter an email address' });
    setErrors({});
    create.mutate();
  }
  const showTopError = create.isError && Object.keys(errors).length === 0;
  return (
    <Modal
      title="New contact"
      onClose={onClose}
      wide
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form="new-contact" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create contact'}
          </button>
        </>
      }
    >
      {showTopError && (
        <div className="alert alert-error" role="alert">
          {errorMessage(create.error)}
        </div>
      )}
      <form id="new-contact" onSubmit={submit} noValidate aria-label="New contact">
        <ContactFields form={form} setForm={setForm} errors={errors} defs={defs} />
      </form>
    </Modal>
  );
}
