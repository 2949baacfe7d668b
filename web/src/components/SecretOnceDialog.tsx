// "Created" dialog for a secret revloop shows only once (API key, source write key): warning, the secret
// with a copy button, then whatever the caller adds (how to use it).
import type { ReactNode } from 'react';
import { Modal } from './Modal.tsx';

export function SecretOnceDialog({
  title,
  what,
  secret,
  id,
  copyButton,
  onClose,
  wide,
  children,
}: {
  title: string;
  /** What the secret is called in the warning: "key", "write key". */
  what: string;
  secret: string;
  /** The secret box's data-testid and the id of the element holding the secret. */
  id: string;
  copyButton: ReactNode;
  onClose: () => void;
  wide?: boolean;
  children?: ReactNode;
}) {
  return (
    <Modal
      title={title}
      onClose={onClose}
      wide={wide}
      footer={
        <button className="btn btn-primary" onClick={onClose}>
          I have copied the key
        </button>
      }
    >
      <div className="alert alert-warning" role="alert">
        {`Copy this ${what} now. It is shown only once: revloop stores a hash, so it cannot show it again.`}
      </div>
      <div className="secret" data-testid={id}>
        <code id={id}>{secret}</code>
        {copyButton}
      </div>
      {children}
    </Modal>
  );
}
