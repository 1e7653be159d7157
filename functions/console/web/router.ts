import { useEffect, useState } from 'preact/hooks';
import { CONSOLE_BASE } from './api';

/** The page a console path names; paths live under /api/console so links from notices land here. */
export type Route =
  | { page: 'plans' }
  | { page: 'plan'; name: string }
  | { page: 'drills'; name: string }
  | { page: 'run'; runId: string }
  | { page: 'report'; runId: string }
  | { page: 'missing'; path: string };

export function routeOf(pathname: string): Route {
  const rest = pathname.startsWith(CONSOLE_BASE) ? pathname.slice(CONSOLE_BASE.length) : pathname;
  const parts = rest
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'plans')) return { page: 'plans' };
  if (parts[0] === 'plans' && parts[1] && parts.length === 2) return { page: 'plan', name: parts[1] };
  if (parts[0] === 'plans' && parts[1] && parts[2] === 'drills' && parts.length === 3)
    return { page: 'drills', name: parts[1] };
  if (parts[0] === 'runs' && parts[1] && parts.length === 2) return { page: 'run', runId: parts[1] };
  if (parts[0] === 'runs' && parts[1] && parts[2] === 'report' && parts.length === 3)
    return { page: 'report', runId: parts[1] };
  return { page: 'missing', path: rest };
}

export const href = (...segments: string[]): string =>
  `${CONSOLE_BASE}/${segments.map(encodeURIComponent).join('/')}`;

export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

/** The current route; same-origin console links navigate without a reload. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.pathname));
  useEffect(() => {
    const onPop = (): void => setRoute(routeOf(window.location.pathname));
    const onClick = (event: MouseEvent): void => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
        return;
      const link = (event.target as Element | null)?.closest?.('a');
      const target = link?.getAttribute('href');
      if (!link || !target || !target.startsWith(`${CONSOLE_BASE}/`) || link.target) return;
      event.preventDefault();
      navigate(target);
    };
    window.addEventListener('popstate', onPop);
    document.addEventListener('click', onClick);
    return () => {
      window.removeEventListener('popstate', onPop);
      document.removeEventListener('click', onClick);
    };
  }, []);
  return route;
}
