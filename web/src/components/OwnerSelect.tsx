// "Owner" select of the contact and account forms: Unassigned, every possible owner, and the record's current
// owner even when it is no longer among them (e.g. a disabled user).
import { SelectField } from './Field.tsx';
import { useOwners } from './useOwners.ts';

export function OwnerSelect({
  value,
  onChange,
  error,
  current,
}: {
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  error?: string;
  current?: { id: number; name: string } | null;
}) {
  const { owners } = useOwners();
  return (
    <SelectField label="Owner" value={value} onChange={onChange} error={error}>
      <option value="">Unassigned</option>
      {current && !owners.some((o) => o.id === current.id) && <option value={String(current.id)}>{current.name}</option>}
      {owners.map((o) => (
        <option key={o.id} value={String(o.id)}>
          {o.name}
        </option>
      ))}
    </SelectField>
  );
}
