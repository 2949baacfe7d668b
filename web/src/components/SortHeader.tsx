// Clickable column header for server-side sorts like "email" / "-email". Put ariaSort() on the <th>.
export function SortHeader({ label, field, sort, onSort, allowed }: { label: string; field: string; sort: string; onSort: (s: string) => void; allowed: readonly string[] }) {
  if (!allowed.includes(field)) return <>{label}</>;
  const active = sort === field || sort === `-${field}`;
  const desc = sort === `-${field}`;
  const nextSort = active ? (desc ? field : `-${field}`) : field;
  return (
    <button className={`sort-button${active ? ' active' : ''}`} onClick={() => onSort(nextSort)} title={`Sort by ${label.toLowerCase()}`}>
      {label}
      <span aria-hidden="true">{active ? (desc ? '↓' : '↑') : '↕'}</span>
    </button>
  );
}

export function ariaSort(field: string, sort: string): 'ascending' | 'descending' | undefined {
  return sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : undefined;
}

/** A sortable column's <th>: the header button with aria-sort set. */
export function SortTh(props: { label: string; field: string; sort: string; onSort: (s: string) => void; allowed: readonly string[] }) {
  return (
    <th aria-sort={ariaSort(props.field, props.sort)}>
      <SortHeader {...props} />
    </th>
  );
}
