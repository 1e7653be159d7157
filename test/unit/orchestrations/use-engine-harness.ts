import { afterEach } from 'vitest';
import {
  createHarness,
  type Harness,
} from '../../../packages/functions-local-host/test/unit/durable/engine-harness';
import { FakeEngineHost } from '../../../packages/functions-local-host/test/unit/durable/fake-engine-host';

export { outputOf } from '../../../packages/functions-local-host/test/unit/durable/engine-harness';
export { FakeEngineHost };

/**
 * For tests of one orchestration helper on the local Durable engine, without the run's fake world:
 * call once at the top of a test file, then `engine(new FakeEngineHost()...)` inside each test. Every
 * engine is stopped after the test that started it.
 */
export function useEngineHarness(): (host: FakeEngineHost) => Harness {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.engine.stop();
  });
  return (host) => {
    const h = createHarness(host, { logEpisodes: false });
    harnesses.push(h);
    return h;
  };
}
