// Crash soak: `npx tsx --conditions=source scripts/crash-soak.mjs --rounds 300 [--per-round 2] [--max-delay-ms 400]`.
// Kills `durable-recovery host` with SIGKILL at random points while orchestrations run, restarts it on the
// same Azurite data, and checks nothing acknowledged was lost. The typed implementation lives next to the
// crash test it shares its loop with (scripts/ is outside the TypeScript project, so this entry stays JS).
import '../test/integration/durable/crash-soak-main.ts';
