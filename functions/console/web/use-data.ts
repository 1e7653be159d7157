import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from './api';

export interface Data<T> {
  value?: T;
  error?: ApiFailure | Error;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load()` on mount and whenever `key` changes; with `pollMs`, again every so often while
 * `keepPolling(value)` says so (a live run). Stale answers of an earlier key are dropped.
 */
export function useData<T>(
  key: string,
  load: () => Promise<T>,
  options: { pollMs?: number; keepPolling?: (value: T) => boolean } = {},
): Data<T> {
  const [state, setState] = useState<{ value?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(key);
  latest.current = key;
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = (): void => {
      load().then(
        (value) => {
          if (cancelled || latest.current !== key) return;
          setState({ value, loading: false });
          if (options.pollMs && (options.keepPolling?.(value) ?? true))
            timer = setTimeout(run, options.pollMs);
        },
        (error: unknown) => {
          if (cancelled) return;
          setState((s) => ({
            ...s,
            error: error instanceof Error ? error : new Error(String(error)),
            loading: false,
          }));
          if (options.pollMs) timer = setTimeout(run, options.pollMs * 2);
        },
      );
    };
    run();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
    // `load` is a fresh closure each render: `key` names what it loads, `tick` asks again.
  }, [key, tick]);
  return { ...state, reload };
}
