// The production registration, unmodified, from the build output (tsc -p tsconfig.build.json).
/* global require -- a plain CommonJS v4 app */
/* eslint-disable @typescript-eslint/no-require-imports */
require('../../../../dist/functions/approvals/approve-http.js');
