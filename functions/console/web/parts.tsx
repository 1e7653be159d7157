// Small pieces every page uses.
import type { ComponentChildren } from 'preact';
import { ApiFailure } from './api';
import { toneOf } from './format';

export function Badge({ state, children }: { state: string; children?: ComponentChildren }) {
  return <span class={`badge ${toneOf(state)}`}>{children ?? state}</span>;
}

export function Failure({ error }: { error: Error }) {
  const api = error instanceof ApiFailure ? error : undefined;
  return (
    <div class="panel error" role="alert">
      <strong>{api ? `${api.status} ${api.code}` : 'Error'}</strong>: {error.message}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Heading({ children, sub }: { children: ComponentChildren; sub?: ComponentChildren }) {
  return (
    <>
      <h1 tabIndex={-1}>{children}</h1>
      {sub && <p class="sub">{sub}</p>}
    </>
  );
}

export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A page whose data is not there yet: its heading, then the failure or that it loads. */
export function NotYet({ title, error, what }: { title: ComponentChildren; error?: Error; what: string }) {
  return (
    <>
      <Heading>{title}</Heading>
      {error ? <Failure error={error} /> : <Loading what={what} />}
    </>
  );
}

/** A labelled drop-down of plain choices (`[value, label]` or a value that is its own label). */
export function Choice<T extends string>(props: {
  id: string;
  label: string;
  value: T;
  options: readonly (T | readonly [T, string])[];
  onChange: (value: T) => void;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as T)}
      >
        {props.options.map((option) => {
          const [value, label] = typeof option === 'string' ? [option, option] : option;
          return (
            <option key={value} value={value}>
              {label}
            </option>
          );
        })}
      </select>
    </div>
  );
}
