import type { ReadinessCheck } from '../../core/readiness/readiness-report';

export function passed(id: string, title: string, detail: string): ReadinessCheck {
  return { id, title, status: 'pass', detail };
}

export function failed(id: string, title: string, failure: { detail: string; fix: string }): ReadinessCheck {
  return { id, title, status: 'fail', detail: failure.detail, fix: failure.fix };
}
