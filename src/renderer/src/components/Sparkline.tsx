/**
 * A tiny 7-day line for numeric attributes (bars of presence for text). Pure SVG, no
 * library; days without data are gaps. The label reads the values out for screen readers.
 */
import type { TrayAttributeView } from '../../../shared/ipc-contract';

export function Sparkline({ history, label }: { history: NonNullable<TrayAttributeView['history']>; label: string }) {
  const width = 56;
  const height = 18;
  const pad = 2;
  const nums = history.map((h) => (typeof h.value === 'number' && Number.isFinite(h.value) ? h.value : null));
  const present = nums.filter((n): n is number => n !== null);
  const step = history.length > 1 ? (width - pad * 2) / (history.length - 1) : 0;
  const max = present.length ? Math.max(...present) : 0;
  const min = present.length ? Math.min(0, ...present) : 0;
  const span = max - min || 1;
  // One value is not a trend: no lone dot.
  if (present.length < 2) return null;
  const y = (v: number) => height - pad - ((v - min) / span) * (height - pad * 2);

  const segments: string[] = [];
  let current: string[] = [];
  nums.forEach((v, i) => {
    if (v === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else {
      current.push(`${(pad + i * step).toFixed(1)},${y(v).toFixed(1)}`);
    }
  });
  if (current.length) segments.push(current.join(' '));
  const spoken = history.map((h) => (h.value === null ? 'no data' : String(h.value))).join(', ');

  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${label}, last 7 days: ${spoken}`}
    >
      {segments.map((pts, i) =>
        pts.includes(' ') ? (
          <polyline
            key={i}
            points={pts}
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        ) : (
          <circle key={i} cx={pts.split(',')[0]} cy={pts.split(',')[1]} r="1.5" fill="currentColor" />
        ),
      )}
      {nums.length > 0 && nums[nums.length - 1] !== null && (
        <circle
          cx={pad + (nums.length - 1) * step}
          cy={y(nums[nums.length - 1] as number)}
          r="2"
          fill="var(--accent)"
        />
      )}
    </svg>
  );
}
