// Small pieces shared by the scoring screens: grade badge, points, buying stage.
import { BUYING_STAGE_LABELS, type BuyingStage, type Grade } from '../../api/scoring.ts';
import './scoring.css';

export function GradeBadge({ grade, small }: { grade: Grade | null | undefined; small?: boolean }) {
  return (
    <span className={`grade grade-${grade ?? 'none'}${small ? ' sm' : ''}`} data-testid="fit-grade" title={grade ? `Fit grade ${grade}` : 'No fit score'}>
      {grade ?? '–'}
    </span>
  );
}

/** Points with a sign and colour: +25, −20, 0. */
export function Points({ value, decimals = 0 }: { value: number; decimals?: number }) {
  const cls = value > 0 ? 'points-pos' : value < 0 ? 'points-neg' : 'points-zero';
  const n = Math.abs(value).toLocaleString(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return <span className={cls}>{value > 0 ? `+${n}` : value < 0 ? `−${n}` : n}</span>;
}

export function formatScore(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return n.toLocaleString(undefined, { maximumFractionDigits: 1 });
}

export function stageLabel(stage: BuyingStage | null | undefined): string {
  return stage ? BUYING_STAGE_LABELS[stage] : 'Unknown';
}
