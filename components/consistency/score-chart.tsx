import type { ScorePoint } from '@/lib/schemas/consistency';
import { formatScore, scoreColor } from './score-format';

const width = 640;
const height = 180;
const pad = { left: 48, right: 16, top: 12, bottom: 28 };

/** The lowest score shown: 90 %, or lower in steps of 10 % when a run scored below it. */
function floorOf(history: ScorePoint[]): number {
  const lowest = Math.min(...history.map((p) => p.score));
  return Math.max(0, Math.min(0.9, Math.floor(lowest * 10) / 10));
}

const shortDate = (iso: string) => new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Score per finished verification of a mapping, oldest first; runs are spaced evenly. */
export function ScoreChart({ history }: { history: ScorePoint[] }) {
  if (history.length === 0) return <p className="text-sm text-slate-500">No finished verification yet.</p>;
  const floor = floorOf(history);
  const plotWidth = width - pad.left - pad.right;
  const plotHeight = height - pad.top - pad.bottom;
  const x = (index: number) => pad.left + (history.length === 1 ? plotWidth / 2 : (index / (history.length - 1)) * plotWidth);
  const y = (score: number) => pad.top + (1 - (score - floor) / (1 - floor)) * plotHeight;
  const ticks = [floor, (floor + 1) / 2, 1];

  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="h-auto w-full max-w-3xl"
      role="img"
      aria-label={`Consistency score over ${history.length} verifications, latest ${formatScore(history[history.length - 1].score)}`}
      data-testid="score-chart"
      data-points={history.length}
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
          <text x={pad.left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#64748b">
            {Math.round(t * 100)} %
          </text>
        </g>
      ))}
      <polyline fill="none" stroke="#6366f1" strokeWidth="2" points={history.map((p, i) => `${x(i)},${y(p.score)}`).join(' ')} />
      {history.map((p, i) => (
        <circle key={p.reportId} cx={x(i)} cy={y(p.score)} r="4" fill={scoreColor(p.score)} data-testid="score-point" data-score={p.score}>
          <title>
            {`${formatScore(p.score)} · ${shortDate(p.finishedAt)} · v${p.mappingVersion}\n${p.matched} matched, ${p.different} different, ${p.missing} missing, ${p.extra} extra`}
          </title>
        </circle>
      ))}
      <text x={pad.left} y={height - 8} fontSize="11" fill="#64748b">
        {shortDate(history[0].finishedAt)}
      </text>
      {history.length > 1 && (
        <text x={width - pad.right} y={height - 8} textAnchor="end" fontSize="11" fill="#64748b">
          {shortDate(history[history.length - 1].finishedAt)}
        </text>
      )}
    </svg>
  );
}
