// Top of a detail page: breadcrumb back to the list, avatar with initials, name, a meta line, and Delete.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { initials } from './format.ts';

export function EntityHeader({
  listTo,
  listLabel,
  name,
  nameTestId,
  square = false,
  onDelete,
  children,
}: {
  listTo: string;
  listLabel: string;
  name: string;
  nameTestId: string;
  /** Square avatar (companies) instead of round (people). */
  square?: boolean;
  /** Shows the Delete button when given. */
  onDelete?: () => void;
  /** The meta line under the name. */
  children: ReactNode;
}) {
  return (
    <>
      <div className="breadcrumb">
        <Link to={listTo}>{listLabel}</Link> / {name}
      </div>
      <div className="page-header">
        <div className="entity-header">
          <div className={square ? 'entity-avatar square' : 'entity-avatar'}>{initials(name)}</div>
          <div>
            <h1 data-testid={nameTestId}>{name}</h1>
            <div className="entity-meta">{children}</div>
          </div>
        </div>
        {onDelete && (
          <div className="actions">
            <button className="btn btn-danger-outline" onClick={onDelete}>
              Delete
            </button>
          </div>
        )}
      </div>
    </>
  );
}
