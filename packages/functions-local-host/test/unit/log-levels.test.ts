import { describe, expect, it } from 'vitest';
import { isLogEnabled, logLevelsOf, writeAtLevel } from '../../src/log-levels';

describe('log levels', () => {
  const levels = logLevelsOf({
    logging: {
      logLevel: {
        default: 'Warning',
        Function: 'Information',
        'Function.noisy': 'Error',
        'Function.quiet.User': 'None',
      },
    },
  });

  it('when host.json sets levels per category, then the most specific category decides', () => {
    expect(isLogEnabled(levels, 'any', 'information')).toBe(true);
    expect(isLogEnabled(levels, 'any', 'debug')).toBe(false);
    expect(isLogEnabled(levels, 'noisy', 'warning')).toBe(false);
    expect(isLogEnabled(levels, 'noisy', 'error')).toBe(true);
    expect(isLogEnabled(levels, 'quiet', 'critical')).toBe(false);
  });

  it('when nothing is configured, then Information and above pass', () => {
    expect(isLogEnabled({}, 'f', 'trace')).toBe(false);
    expect(isLogEnabled({}, 'f', 'information')).toBe(true);
  });

  it('when a line is written, then warnings and errors reach the matching logger method', () => {
    const seen: string[] = [];
    const logger = {
      info: (m: string) => seen.push(`i:${m}`),
      warn: (m: string) => seen.push(`w:${m}`),
      error: (m: string) => seen.push(`e:${m}`),
    };
    writeAtLevel(logger, 'warning', 'a');
    writeAtLevel(logger, 'critical', 'b');
    writeAtLevel(logger, 'debug', 'c');
    expect(seen).toEqual(['w:a', 'e:b', 'i:c']);
  });
});
