// A dialog around one form: the server's error on top, Cancel + submit in the footer; and the hook that
// runs the form's mutation and keeps its field errors.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError, type FieldErrors } from '../api/client.ts';
import { focusFirstInvalid } from './Field.tsx';
import { Modal } from './Modal.tsx';
import { ErrorAlert } from './States.tsx';

/**
 * Runs a form's mutation: on failure keeps the server's field errors (optionally focusing the first invalid
 * field). `topError` is the error to show above the form: set when the failure named no field.
 */
export function useFormMutation<T>({ mutationFn, onSuccess, focusInvalid = false }: { mutationFn: () => Promise<T>; onSuccess?: (data: T) => unknown; focusInvalid?: boolean }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn,
    onSuccess,
    onError: (e) => {
      setErrors(e instanceof ApiError ? e.fieldErrors : {});
      if (focusInvalid) focusFirstInvalid();
    },
  });
  const topError = mutation.isError && Object.keys(errors).length === 0 ? mutation.error : null;
  return { mutation, errors, setErrors, topError };
}

export function FormDialog({
  title,
  formId,
  formLabel,
  onClose,
  onSubmit,
  error,
  pending,
  submitLabel,
  pendingLabel,
  wide,
  children,
}: {
  title: string;
  formId: string;
  /** The form's aria-label. */
  formLabel: string;
  onClose: () => void;
  onSubmit: (e: FormEvent) => void;
  /** Shown above the form (see useFormMutation's topError). */
  error: unknown;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal
      title={title}
      onClose={onClose}
      wide={wide}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form={formId} disabled={pending}>
            {pending ? pendingLabel : submitLabel}
          </button>
        </>
      }
    >
      <ErrorAlert error={error} />
      <form id={formId} onSubmit={onSubmit} noValidate aria-label={formLabel}>
        {children}
      </form>
    </Modal>
  );
}
