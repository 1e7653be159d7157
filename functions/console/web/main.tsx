// The operator console: one page shell, pages chosen by the path under /api/console.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { me } from './api';
import { href, useRoute, type Route } from './router';
import { DrillsPage } from './pages/drills-page';
import { Loading } from './parts';
import { PlansPage } from './pages/plans-page';
import { ReportPage } from './pages/report-page';
import { RunPage } from './pages/run-page';

function titleOf(route: Route): string {
  switch (route.page) {
    case 'plans':
      return 'Plans';
    case 'plan':
      return `Plan ${route.name}`;
    case 'drills':
      return `Drills of ${route.name}`;
    case 'run':
      return `Run ${route.runId}`;
    case 'report':
      return `Evidence report ${route.runId}`;
    default:
      return 'Not found';
  }
}

type PlanPageType = (typeof import('./pages/plan-page'))['PlanPage'];

/**
 * The plan page validates the plan in the browser (core/plan, with zod and yaml): loaded on first use,
 * so the pages people open on a phone (a run to approve) stay small.
 */
function LazyPlanPage({ name }: { name: string }) {
  const [page, setPage] = useState<{ PlanPage: PlanPageType } | undefined>();
  useEffect(() => {
    void import('./pages/plan-page').then((module) => setPage({ PlanPage: module.PlanPage }));
  }, []);
  return page ? <page.PlanPage name={name} /> : <Loading what="the plan page" />;
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'plans':
      return <PlansPage />;
    case 'plan':
      return <LazyPlanPage name={route.name} />;
    case 'drills':
      return <DrillsPage name={route.name} />;
    case 'run':
      return <RunPage runId={route.runId} />;
    case 'report':
      return <ReportPage runId={route.runId} />;
    default:
      return (
        <>
          <h1>Not found</h1>
          <p>
            The console has no page at <code>{route.path}</code>. <a href={href('plans')}>See the plans</a>.
          </p>
        </>
      );
  }
}

function App() {
  const route = useRoute();
  const who = me();
  useEffect(() => {
    document.title = `${titleOf(route)} · Durable Recovery`;
    // Screen readers hear the new page; keyboard focus starts at its heading.
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [route]);
  return (
    <>
      <a class="skip-link" href="#content">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href('plans')}>
          Durable Recovery
        </a>
        <nav aria-label="Console">
          <a href={href('plans')} aria-current={route.page === 'plans' ? 'page' : undefined}>
            Plans
          </a>
        </nav>
        <div class="who">
          Signed in as <strong>{who.user}</strong> ({who.roles.length ? who.roles.join(', ') : 'no app role'})
          ·{' '}
          <a href={`/.auth/logout?post_logout_redirect_uri=${encodeURIComponent('/api/console/')}`}>
            Sign out
          </a>
        </div>
      </header>
      <main id="content">
        {who.roles.length === 0 && (
          <div class="panel error" role="alert">
            You are signed in without an app role of this app (viewer, operator or approver): every page will
            be refused. Ask an administrator to assign you one (docs/console.md).
          </div>
        )}
        <Page route={route} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
