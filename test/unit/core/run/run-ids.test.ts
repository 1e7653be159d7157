import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameGuid, runbookJobName, sha1 } from '../../../../core/run/run-ids';

describe('run ids', () => {
  it('when hashing any text, then the pure SHA-1 equals node:crypto', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(Buffer.from(sha1(text)).toString('hex')).toBe(
          createHash('sha1').update(text, 'utf8').digest('hex'),
        );
      }),
    );
  });

  it('when a runbook job name is derived twice for the same attempt, then it is the same GUID', () => {
    const name = runbookJobName('run-1', 'dns', 1);
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runbookJobName('run-1', 'dns', 1)).toBe(name);
  });

  it('when run, step, attempt or purpose differ, then the job names differ', () => {
    const names = [
      runbookJobName('run-1', 'dns', 1),
      runbookJobName('run-2', 'dns', 1),
      runbookJobName('run-1', 'dns2', 1),
      runbookJobName('run-1', 'dns', 2),
      runbookJobName('run-1', 'dns', 1, 'compensate'),
      nameGuid('x'),
    ];
    expect(new Set(names).size).toBe(names.length);
  });
});
