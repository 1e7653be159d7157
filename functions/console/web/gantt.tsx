// A Gantt timeline: one bar per step (and per item under it, when known), from its start to its end
// (or now while running), with the RTO objective and the forecast finish as vertical lines.
import type { ComponentChildren } from 'preact';
import { between, minutes } from './format';

export interface Bar {
  label: string;
  /** Indented under the previous step (an item of a failover step). */
  child?: boolean;
  startedAt?: string;
  endedAt?: string;
  status: string;
  note?: string;
}

const COLOUR: Record<string, string> = {
  succeeded: '#2da44e',
  failed: '#cf222e',
  running: '#0969da',
  waiting: '#bf8700',
  cancelled: '#8c959f',
  skipped: '#d0d7de',
  compensated: '#8250df',
  pending: '#eaeef2',
};

const LABEL_W = 190;
const ROW_H = 24;
const CHART_W = 1000;

export function Gantt(props: {
  bars: Bar[];
  start: string;
  now: string;
  rtoMinutes?: number;
  forecastMinutes?: number;
  title: string;
}) {
  const { bars, start } = props;
  // The scale is the run's own span (and its forecast): a 2-minute drill against a 60-minute RTO
  // would be a row of slivers. The RTO line is drawn when it falls near the span, else named at the edge.
  const actual = Math.max(
    0.1,
    ...bars.map((b) => between(start, b.endedAt ?? (b.startedAt ? props.now : undefined)) ?? 0),
    props.forecastMinutes ?? 0,
  );
  const rtoOnScale = props.rtoMinutes !== undefined && props.rtoMinutes <= actual * 1.5;
  const spanEnd = Math.max(actual, rtoOnScale ? (props.rtoMinutes ?? 0) : 0) * 1.04;
  const scale = (m: number): number =>
    LABEL_W + (Math.min(Math.max(0, m), spanEnd) / spanEnd) * (CHART_W - LABEL_W - 30);
  const height = bars.length * ROW_H + 34;
  const ticks = niceTicks(spanEnd);
  return (
    <div class="gantt">
      <svg
        viewBox={`0 0 ${CHART_W} ${height}`}
        width={CHART_W}
        height={height}
        role="img"
        aria-label={props.title}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={scale(t)} x2={scale(t)} y1="4" y2={height - 22} stroke="#eaeef2" />
            <text x={scale(t)} y={height - 8} font-size="10.5" text-anchor="middle" fill="#57606a">
              {minutes(t)}
            </text>
          </g>
        ))}
        {bars.map((bar, i) => {
          const y = i * ROW_H + 6;
          const from = between(start, bar.startedAt);
          const to = between(start, bar.endedAt ?? (bar.startedAt ? props.now : undefined));
          const colour = COLOUR[bar.status] ?? '#8c959f';
          return (
            <g key={`${bar.label}-${i}`}>
              <title>{`${bar.label}: ${bar.status}${from !== undefined ? `, from ${minutes(from)}` : ''}${to !== undefined ? ` to ${minutes(to)}` : ''}${bar.note ? ` — ${bar.note}` : ''}`}</title>
              <text
                x={bar.child ? 18 : 4}
                y={y + 15}
                font-size={bar.child ? 11 : 12}
                fill={bar.child ? '#57606a' : '#1b1f24'}
              >
                {bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label}
              </text>
              {from !== undefined && to !== undefined ? (
                <rect
                  x={scale(from)}
                  y={y + (bar.child ? 6 : 3)}
                  width={Math.max(3, scale(to) - scale(from))}
                  height={bar.child ? 10 : 16}
                  rx="3"
                  fill={colour}
                />
              ) : (
                <text x={LABEL_W + 4} y={y + 15} font-size="10.5" fill="#57606a">
                  {bar.status}
                </text>
              )}
            </g>
          );
        })}
        {props.rtoMinutes !== undefined && !rtoOnScale && (
          <text x={CHART_W - 4} y="12" font-size="10.5" text-anchor="end" fill="#a40e26">
            {`RTO objective ${minutes(props.rtoMinutes)} →`}
          </text>
        )}
        {props.rtoMinutes !== undefined && rtoOnScale && (
          <g>
            <Marker x={scale(props.rtoMinutes)} height={height} colour="#a40e26" dash="5 3" />
            <text x={scale(props.rtoMinutes) - 3} y="12" font-size="10.5" text-anchor="end" fill="#a40e26">
              RTO objective
            </text>
          </g>
        )}
        {props.forecastMinutes !== undefined && (
          <Marker x={scale(props.forecastMinutes)} height={height} colour="#0b5cad" dash="2 2">
            <title>{`forecast finish ${minutes(props.forecastMinutes)}`}</title>
          </Marker>
        )}
      </svg>
    </div>
  );
}

/** A dashed vertical line across the bars (the RTO objective, the forecast finish). */
function Marker(props: {
  x: number;
  height: number;
  colour: string;
  dash: string;
  children?: ComponentChildren;
}) {
  return (
    <line
      x1={props.x}
      x2={props.x}
      y1="0"
      y2={props.height - 22}
      stroke={props.colour}
      stroke-width="1.5"
      stroke-dasharray={props.dash}
    >
      {props.children}
    </line>
  );
}

export function niceTicks(max: number): number[] {
  const steps = [1 / 60, 5 / 60, 10 / 60, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 240];
  const step = steps.find((s) => max / s <= 8) ?? 480;
  const ticks: number[] = [];
  for (let i = 0; i * step <= max + 1e-9; i++) ticks.push(i * step);
  return ticks;
}

export function GanttLegend() {
  return (
    <div class="legend" aria-hidden="true">
      {Object.entries(COLOUR).map(([status, colour]) => (
        <span key={status} style={{ '--sw': colour }}>
          {status}
        </span>
      ))}
    </div>
  );
}
