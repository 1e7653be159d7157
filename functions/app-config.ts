import { app } from '@azure/functions';
import { loadAppConfig } from '../adapters/config/app-config';

// Fail fast: every setting is checked when the app starts, and a missing or invalid one stops the start
// with one message naming each variable and its rule (docs/configuration.md lists them all). The
// adapters themselves are built lazily, on first use, from the same validated configuration.
app.hook.appStart(() => {
  loadAppConfig();
});
