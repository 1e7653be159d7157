import { describe, expect, it } from 'vitest';
import { parseNcrontab } from '../../../../core/plan/ncrontab';

describe('parseNcrontab', () => {
  it('when given the six-field Functions format, then it expands each field', () => {
    const result = parseNcrontab('0 */15 2-4 * JAN,jul sat');
    expect(result.ok && result.schedule).toEqual({
      seconds: [0],
      minutes: [0, 15, 30, 45],
      hours: [2, 3, 4],
      days: Array.from({ length: 31 }, (_, i) => i + 1),
      months: [1, 7],
      daysOfWeek: [6],
    });
  });

  it('when a start has a step, then it counts from the start to the end of the field', () => {
    const result = parseNcrontab('5/20 0 0 * * *');
    expect(result.ok && result.schedule.seconds).toEqual([5, 25, 45]);
  });

  it.each([
    ['0 2 * * 6', 'expected 6 fields'],
    ['60 0 0 * * *', 'second value 60 is outside 0-59'],
    ['0 0 5-1 * * *', 'runs backwards'],
    ['0 0 0 * * */0', 'must be a positive whole number'],
    ['0 0 0 30 2 *', 'never meet'],
    ['0 0 0 * FOO *', "month has 'FOO'"],
  ])('when the expression is "%s", then it is rejected saying %s', (expression, message) => {
    const result = parseNcrontab(expression);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});
