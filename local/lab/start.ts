// The local lab launcher (`npm start`). The local Functions host lands with the host issue.
process.stdout.write('durable-recovery local lab: not yet available (the local Functions host is not built yet).\n');
