// Clickable column header for server-side sorts like "email" / "-email".
export function SortHeader({ label, field, sort, onSort, allowed }: { label: string; field: string; sort: string; onSort: (s: string) => void; allowed: readonly string[] }) {
  if (!allowed.includes(field)) return <>{label}</>;
  const active = sort === field || sort === `-${field}`;
  const desc = sort === `-${field}`;
  const nextSort = active ? (desc ? field : `-${field}`) : field;
  return (
    <button
      className={`sort-button${active ? ' active' : ''}`}
      onClick={() => onSort(nextSort)}
      aria-label={`Sort by ${label}${active ? (desc ? ', currently descending' : ', currently ascending') : ''}`}
    >
      {label}
      <span aria-hidden="true">{active ? (desc ? '↓' : '↑') : '↕'}</span>
    </button>
  );
}
