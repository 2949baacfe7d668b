// The contacts list's segment / list filter (?segmentId= / ?listId=): one select over both.
import { useQuery } from '@tanstack/react-query';
import { listLists, listSegments, marketKeys } from '../../api/market.ts';
import { useCan } from '../identity/auth.tsx';

export function MembershipFilter({ segmentId, listId, onChange }: { segmentId?: string; listId?: string; onChange: (v: { segmentId?: string; listId?: string }) => void }) {
  const can = useCan('market:read');
  const segs = useQuery({ queryKey: marketKeys.segments({ status: 'active' }), queryFn: () => listSegments({ status: 'active' }), enabled: can });
  const lists = useQuery({ queryKey: marketKeys.lists, queryFn: listLists, enabled: can });
  if (!can) return null;
  const value = segmentId ? `s:${segmentId}` : listId ? `l:${listId}` : '';
  return (
    <select
      className="input select-inline"
      aria-label="Segment or list"
      value={value}
      onChange={(e) => {
        const v = e.target.value;
        onChange({ segmentId: v.startsWith('s:') ? v.slice(2) : undefined, listId: v.startsWith('l:') ? v.slice(2) : undefined });
      }}
    >
      <option value="">Any segment or list</option>
      {value && !segs.data?.items.some((s) => `s:${s.id}` === value) && !lists.data?.items.some((l) => `l:${l.id}` === value) && <option value={value}>{segmentId ? `Segment ${segmentId}` : `List ${listId}`}</option>}
      {segs.data?.items.length ? (
        <optgroup label="Segments">
          {segs.data.items.map((s) => (
            <option key={s.id} value={`s:${s.id}`}>
              {s.name}
            </option>
          ))}
        </optgroup>
      ) : null}
      {lists.data?.items.length ? (
        <optgroup label="Lists">
          {lists.data.items.map((l) => (
            <option key={l.id} value={`l:${l.id}`}>
              {l.name}
            </option>
          ))}
        </optgroup>
      ) : null}
    </select>
  );
}
