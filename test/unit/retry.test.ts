import { describe, expect, it } from 'vitest';
import { withRetries } from '../../shared/notifications/retry.js';

// No waiting in tests: a zero base delay makes every backoff zero.
const policy = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

/** An operation that fails its first `failures` calls, and counts every call. */
function flaky(failures: number) {
  const op = async (attempt: number) => {
    op.calls++;
    if (op.calls <= failures) throw new Error(`failure ${attempt}`);
    return `sent on attempt ${attempt}`;
  };
  op.calls = 0;
  return op;
}

describe('A delivery is retried until it succeeds or its attempts run out', () => {
  it('returns at once when the first attempt succeeds', async () => {
    const op = flaky(0);
    expect(await withRetries(op, policy)).toEqual({ ok: true, value: 'sent on attempt 1', attempts: 1 });
    expect(op.calls).toBe(1);
  });

  it('succeeds on a later attempt after transient failures', async () => {
    const op = flaky(2);
    expect(await withRetries(op, policy)).toEqual({ ok: true, value: 'sent on attempt 3', attempts: 3 });
    expect(op.calls).toBe(3);
  });

  it('gives up after the last attempt and reports the last error instead of throwing', async () => {
    const op = flaky(10);
    const outcome = await withRetries(op, policy);
    expect(outcome).toMatchObject({ ok: false, attempts: 3 });
    expect(outcome.ok === false && (outcome.error as Error).message).toBe('failure 3');
    expect(op.calls).toBe(3);
  });

  it('reports an operation that throws synchronously as a failed outcome', async () => {
    const outcome = await withRetries(
      () => {
        throw new Error('bad input');
      },
      { ...policy, attempts: 1 },
    );
    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
  });

  it('keeps one failing delivery from holding back the others', async () => {
    const outcomes = await Promise.all([flaky(0), flaky(99), flaky(1)].map((op) => withRetries(op, policy)));
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
  });
});
