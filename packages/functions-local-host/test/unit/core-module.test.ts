import { describe, expect, it } from 'vitest';
import { AppRegistry, coreModule, installCoreModule, toHostFunction } from '../../src/core-module';

type Register = (metadata: unknown, callback: () => unknown) => { dispose(): unknown };
type RegisterHook = (name: string, callback: () => unknown) => { dispose(): unknown };

describe('@azure/functions-core as the host provides it', () => {
  it('when a function is registered twice or after start, then registration fails as in the worker', () => {
    const registry = new AppRegistry();
    installCoreModule(registry, () => undefined);
    const register = coreModule.registerFunction as Register;
    const metadata = { name: 'f', bindings: { req: { type: 'httpTrigger', direction: 'in' } } };
    register(metadata, () => undefined);
    expect(() => register(metadata, () => undefined)).toThrow(
      'A function with the id "f" has already been registered.',
    );
    registry.locked = true;
    expect(() => register({ ...metadata, name: 'g' }, () => undefined)).toThrow(
      'only be registered during app startup',
    );
  });

  it('when an unknown hook is registered, then a RangeError flagged as a system error is thrown', () => {
    installCoreModule(new AppRegistry(), () => undefined);
    const registerHook = coreModule.registerHook as RegisterHook;
    let error: unknown;
    try {
      registerHook('beforeLunch', () => undefined);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as { isAzureFunctionsSystemError?: boolean }).isAzureFunctionsSystemError).toBe(true);
  });

  it('when a hook is disposed, then it no longer runs', () => {
    const registry = new AppRegistry();
    installCoreModule(registry, () => undefined);
    const disposable = (coreModule.registerHook as RegisterHook)('appStart', () => undefined);
    expect(registry.hooksOf('appStart')).toHaveLength(1);
    disposable.dispose();
    expect(registry.hooksOf('appStart')).toHaveLength(0);
  });

  it('when metadata is flattened, then each binding carries its key as name and the trigger is found', () => {
    const fn = toHostFunction({
      name: 'f',
      bindings: {
        t: { type: 'timerTrigger', direction: 'in', schedule: '0 * * * * *' },
        $return: { type: 'http', direction: 'out' },
      },
    });
    expect(fn.trigger).toEqual({ name: 't', type: 'timerTrigger', direction: 'in', schedule: '0 * * * * *' });
    expect(fn.bindings.map((b) => b.name)).toEqual(['t', '$return']);
    expect(() => toHostFunction({ name: 'x', bindings: {} })).toThrow('Function "x" has no trigger binding.');
  });
});
