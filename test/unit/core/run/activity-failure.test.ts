import { describe, expect, it } from 'vitest';
import {
  activityFailureInfo,
  encodePortError,
  parsePortErrorText,
} from '../../../../core/run/activity-failure';
import type { PortErrorInfo } from '../../../../core/ports/port-error';

const throttled: PortErrorInfo = {
  kind: 'retryable',
  code: 'TooManyRequests',
  message: 'The request was "throttled" {braces} \\ and all',
  status: 429,
  retryAfterSeconds: 17,
};

describe('activity failure text', () => {
  it('when the host wraps the thrown message as Reason + Details, then the PortErrorInfo comes back intact', () => {
    const reason = `Activity function 'readItem' failed: ${encodePortError(throttled)}`;
    const details = JSON.stringify({ message: encodePortError(throttled), stack: 'Error: …\n at x' });
    expect(activityFailureInfo(new Error(`${reason} \n ${details}`))).toEqual(throttled);
  });

  it('when the failure is nested in a sub-orchestration failure, then the first carried error is found', () => {
    const inner = `Activity function 'startItemAction' failed: ${encodePortError({ kind: 'notFound', code: 'ResourceNotFound', message: 'no item', status: 404 })}`;
    const outer = `Orchestrator function 'FailoverItem' failed: ${inner}`;
    expect(parsePortErrorText(outer)).toEqual({
      kind: 'notFound',
      code: 'ResourceNotFound',
      message: 'no item',
      status: 404,
    });
  });

  it('when a host delivers FailureDetails ("<ErrorType>: <ErrorMessage>"), then the marker is still read', () => {
    const error = Object.assign(new Error(`Error: ${encodePortError(throttled)}`), {
      failureDetails: { errorType: 'Error', errorMessage: encodePortError(throttled) },
    });
    expect(activityFailureInfo(error)).toEqual(throttled);
  });

  it('when the failure carries no marker (a bug, a timeout), then it is terminal ActivityFailed with the first line', () => {
    expect(activityFailureInfo(new Error("Activity function 'x' failed: boom \n {stack}"))).toEqual({
      kind: 'terminal',
      code: 'ActivityFailed',
      message: "Activity function 'x' failed: boom",
    });
  });

  it('when the marker is followed by broken or foreign JSON, then it is ignored', () => {
    expect(parsePortErrorText('DR-PortError {"kind":"maybe","code":"x","message":"y"}')).toBeUndefined();
    expect(parsePortErrorText('DR-PortError {"kind":"terminal"')).toBeUndefined();
  });
});
