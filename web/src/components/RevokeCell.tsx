// Last cell of a key's row: "Revoked <date>" once revoked, else the Revoke button (or "Active" for who may not revoke).
import { Badge } from './Badge.tsx';
import { formatDate } from './format.ts';

export function RevokeCell({ name, revokedAt, onRevoke }: { name: string; revokedAt: string | null; onRevoke?: () => void }) {
  return (
    <td style={{ textAlign: 'right' }}>
      {revokedAt ? (
        <Badge tone="red">Revoked {formatDate(revokedAt)}</Badge>
      ) : onRevoke ? (
        <button className="btn btn-sm" onClick={onRevoke} aria-label={`Revoke ${name}`}>
          Revoke
        </button>
      ) : (
        <Badge tone="green">Active</Badge>
      )}
    </td>
  );
}
