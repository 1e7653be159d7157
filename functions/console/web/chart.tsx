// A small bar chart of achieved minutes per drill against the objective (a dashed line).
import { minutes } from './format';

export interface Point {
  label: string;
  value: number | undefined;
  met?: boolean;
}

export function BarChart(props: {
  points: Point[];
  objective?: number;
  title: string;
  unit?: string;
  width?: number;
  height?: number;
}) {
  if (props.points.length === 0) return <p class="muted">No drill has finished yet: nothing to chart.</p>;
  const width = props.width ?? 520;
  const height = props.height ?? 170;
  const left = 40;
  const bottom = 22;
  const max = Math.max(1, props.objective ?? 0, ...props.points.map((p) => p.value ?? 0)) * 1.15;
  const y = (v: number): number => height - bottom - (v / max) * (height - bottom - 8);
  const slot = (width - left - 6) / Math.max(1, props.points.length);
  const barW = Math.min(28, slot * 0.7);
  return (
    <div class="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-label={props.title}
      >
        <line x1={left} x2={width - 4} y1={height - bottom} y2={height - bottom} stroke="#8c959f" />
        {[0, max / 2, max].map((v) => (
          <text key={v} x={left - 4} y={y(v) + 4} font-size="10" text-anchor="end" fill="#57606a">
            {max < 10 ? v.toFixed(1) : Math.round(v)}
          </text>
        ))}
        {props.points.map((p, i) => {
          const x = left + i * slot + (slot - barW) / 2;
          return (
            <g key={`${p.label}-${i}`}>
              <title>{`${p.label}: ${p.value === undefined ? 'no value' : minutes(p.value)}${p.met === false ? ' (objective missed)' : ''}`}</title>
              {p.value !== undefined ? (
                <rect
                  x={x}
                  y={y(p.value)}
                  width={barW}
                  height={Math.max(1, height - bottom - y(p.value))}
                  rx="2"
                  fill={p.met === false ? '#cf222e' : '#2da44e'}
                />
              ) : (
                <text
                  x={x + barW / 2}
                  y={height - bottom - 4}
                  font-size="10"
                  text-anchor="middle"
                  fill="#57606a"
                >
                  –
                </text>
              )}
              <text x={x + barW / 2} y={height - 6} font-size="9.5" text-anchor="middle" fill="#57606a">
                {p.label}
              </text>
            </g>
          );
        })}
        {props.objective !== undefined && (
          <g>
            <line
              x1={left}
              x2={width - 4}
              y1={y(props.objective)}
              y2={y(props.objective)}
              stroke="#a40e26"
              stroke-dasharray="5 3"
            />
            <text x={width - 6} y={y(props.objective) - 4} font-size="10" text-anchor="end" fill="#a40e26">
              {`objective ${props.objective} ${props.unit ?? 'min'}`}
            </text>
          </g>
        )}
      </svg>
    </div>
  );
}

/** A tiny inline trend line for tables. */
export function Sparkline(props: { values: number[]; objective?: number; label: string }) {
  const w = 90;
  const h = 24;
  if (props.values.length === 0) return <span class="muted">no drills yet</span>;
  const max = Math.max(1, props.objective ?? 0, ...props.values) * 1.1;
  const x = (i: number): number =>
    props.values.length === 1 ? w / 2 : 2 + (i / (props.values.length - 1)) * (w - 4);
  const y = (v: number): number => h - 2 - (v / max) * (h - 4);
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={props.label}>
      {props.objective !== undefined && (
        <line
          x1="0"
          x2={w}
          y1={y(props.objective)}
          y2={y(props.objective)}
          stroke="#a40e26"
          stroke-dasharray="3 2"
        />
      )}
      <polyline
        fill="none"
        stroke="#0b5cad"
        stroke-width="1.6"
        points={props.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
      />
      {props.values.map((v, i) => (
        <circle key={i} cx={x(i)} cy={y(v)} r="2" fill="#0b5cad" />
      ))}
    </svg>
  );
}
