// Keyset pagination: Next follows nextCursor; Previous pops a stack of the cursors already visited.
import { useEffect, useState } from 'react';

export function useCursorStack(resetKey: string) {
  const [stack, setStack] = useState<string[]>([]);
  const [key, setKey] = useState(resetKey);
  if (key !== resetKey) {
    // Filters changed: back to the first page (state reset during render, as React recommends).
    setKey(resetKey);
    setStack([]);
  }
  return {
    cursor: stack.length ? stack[stack.length - 1] : undefined,
    page: stack.length + 1,
    next: (c: string) => setStack((s) => [...s, c]),
    prev: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}

export function Pager({
  page,
  hasPrev,
  nextCursor,
  onNext,
  onPrev,
  summary,
}: {
  page: number;
  hasPrev: boolean;
  nextCursor: string | null | undefined;
  onNext: (c: string) => void;
  onPrev: () => void;
  summary?: string;
}) {
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [page]);
  return (
    <div className="table-footer">
      <span data-testid="list-total">{summary}</span>
      <div className="row">
        <span className="small">Page {page}</span>
        <button className="btn btn-sm" disabled={!hasPrev} onClick={onPrev} aria-label="Previous page">
          ← Previous
        </button>
        <button className="btn btn-sm" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)} aria-label="Next page">
          Next →
        </button>
      </div>
    </div>
  );
}

/** Pager for a useCursorStack() list. */
export function CursorPager({ pager, nextCursor, summary }: { pager: ReturnType<typeof useCursorStack>; nextCursor: string | null | undefined; summary?: string }) {
  return <Pager page={pager.page} hasPrev={pager.page > 1} nextCursor={nextCursor} onNext={pager.next} onPrev={pager.prev} summary={summary} />;
}
