// The console's HTTP function, added to the app's one HTTP table (functions/http/http-functions.ts).
import type { HttpFunctionOptions } from '@azure/functions';
import { appPorts } from '../../adapters/config/app-adapters';
import { consoleBundle } from './console-bundle';
import { CONSOLE_ROUTE, serveConsole } from './console-http';

export const CONSOLE_FUNCTIONS: readonly { name: string; options: HttpFunctionOptions }[] = [
  {
    name: 'console',
    options: {
      route: `${CONSOLE_ROUTE}/{*path}`,
      methods: ['GET', 'HEAD'],
      authLevel: 'anonymous',
      handler: async (request) =>
        serveConsole(request, { bundle: consoleBundle(), loginPath: appPorts().config.approvalLoginPath }),
    },
  },
];
