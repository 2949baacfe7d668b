import { describe, expect, it } from 'vitest';
import { checkMove } from './workflow.ts';
import { isOverdue } from './items-dto.ts';

describe('checkMove', () => {
  it('allows one step forward, any step back, retire and bring back', () => {
    expect(checkMove('idea', 'research', 'marketing')).toEqual({ ok: true, skippedReview: false });
    expect(checkMove('published', 'audited', 'marketing').ok).toBe(true);
    expect(checkMove('review', 'idea', 'marketing').ok).toBe(true);
    expect(checkMove('draft', 'retired', 'marketing').ok).toBe(true);
    expect(checkMove('retired', 'idea', 'marketing').ok).toBe(true);
    expect(checkMove('retired', 'published', 'admin').ok).toBe(false);
    expect(checkMove('review', 'published', 'marketing')).toEqual({ ok: true, skippedReview: false });
  });
  it('lets only content:publish skip review, and refuses other skips for everyone', () => {
    expect(checkMove('draft', 'published', 'marketing')).toMatchObject({ ok: false, forbidden: true });
    expect(checkMove('draft', 'scheduled', 'marketing')).toMatchObject({ ok: false, forbidden: true });
    expect(checkMove('draft', 'published', 'admin')).toEqual({ ok: true, skippedReview: true });
    expect(checkMove('draft', 'scheduled', 'admin')).toEqual({ ok: true, skippedReview: true });
    expect(checkMove('idea', 'published', 'admin')).toMatchObject({ ok: false });
    expect(checkMove('research', 'review', 'admin')).toMatchObject({ ok: false, reason: expect.stringContaining('skips sme_interview, draft') });
    expect(checkMove('scheduled', 'audited', 'admin')).toMatchObject({ ok: false });
    expect(checkMove('draft', 'draft', 'admin')).toMatchObject({ ok: false });
  });
});

describe('isOverdue', () => {
  const today = '2026-06-15';
  it('flags a due date past while before the due step, or a publish date past while unpublished', () => {
    expect(isOverdue({ status: 'research', dueDate: '2026-06-14', dueStatus: 'draft', publishDate: null }, today)).toBe(true);
    expect(isOverdue({ status: 'draft', dueDate: '2026-06-14', dueStatus: 'draft', publishDate: null }, today)).toBe(false);
    expect(isOverdue({ status: 'research', dueDate: '2026-06-15', dueStatus: 'draft', publishDate: null }, today)).toBe(false);
    expect(isOverdue({ status: 'review', dueDate: '2026-06-01', dueStatus: null, publishDate: null }, today)).toBe(true);
    expect(isOverdue({ status: 'scheduled', dueDate: null, dueStatus: null, publishDate: '2026-06-10' }, today)).toBe(true);
    expect(isOverdue({ status: 'published', dueDate: null, dueStatus: null, publishDate: '2026-06-10' }, today)).toBe(false);
    expect(isOverdue({ status: 'retired', dueDate: '2020-01-01', dueStatus: null, publishDate: '2020-01-01' }, today)).toBe(false);
  });
});
