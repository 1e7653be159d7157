// The production /api/approve registration, unmodified, from the build output (tsc -p tsconfig.build.json).
/* global require -- a plain CommonJS v4 app */
/* eslint-disable @typescript-eslint/no-require-imports */
const { app } = require('@azure/functions');
const { HTTP_FUNCTIONS } = require('../../../../dist/functions/http/http-functions.js');

for (const { name, options } of HTTP_FUNCTIONS) if (name === 'approve') app.http(name, options);
