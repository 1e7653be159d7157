// The app's one entry point (package.json `main`): the start check, then every function from its
// kind's table. Nothing else registers functions, so what this file reaches is the whole app.
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { appPorts } from '../adapters/config/app-adapters';
import { ACTIVITIES } from './activities/activities';
import { DRILL_TIMER } from './drills/drill-timer';
import { READINESS_TIMER } from './readiness/readiness-timer';
import { HTTP_FUNCTIONS } from './http/http-functions';
import { ORCHESTRATORS } from './orchestrations/orchestrators';

// Fail fast: every setting is checked and every port built when the app starts; a missing or invalid
// setting stops the start with one message naming each variable and its rule (docs/configuration.md).
app.hook.appStart(() => {
  appPorts();
});

for (const { name, options } of HTTP_FUNCTIONS) app.http(name, options);
for (const [name, handler] of Object.entries(ACTIVITIES)) df.app.activity(name, { handler });
for (const [name, handler] of Object.entries(ORCHESTRATORS)) df.app.orchestration(name, handler);
for (const { name, options } of [DRILL_TIMER, READINESS_TIMER]) app.timer(name, options);
