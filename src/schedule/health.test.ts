// /health's rules, one by one, on a 5-minute schedule (see health.ts for the definition).
import { describe, expect, it } from 'vitest';
import { SchedulerHealth } from './health.js';
import { tickSchedule } from './ticks.js';

const at = (hhmmss: string) => new Date(`2026-01-01T${hhmmss}Z`);

describe('scheduler health', () => {
  it('is ok while starting, until the tick after the first due one has come', () => {
    const health = new SchedulerHealth(tickSchedule(), at('00:00:00'));
    expect(health.report(at('00:09:59'))).toMatchObject({ status: 'ok', role: 'starting', next_tick_at: '2026-01-01T00:10:00.000Z' });
    expect(health.report(at('00:10:01'))).toMatchObject({ status: 'degraded', reasons: ['the tick due at 2026-01-01T00:05:00.000Z has not happened (the scheduler is stuck)'] });
  });

  it('is degraded after a failed build, and ok again as a standby or after a good build', () => {
    const health = new SchedulerHealth(tickSchedule(), at('00:00:00'));
    health.ticked(at('00:05:00'));
    health.buildStarted(at('00:05:00'));
    health.buildFinished('r1', 'error', at('00:06:00'));
    expect(health.report(at('00:06:00'))).toMatchObject({ status: 'degraded', role: 'active', reasons: ['the last build (run r1) ended error'], last_run_id: 'r1', last_run_age_seconds: 0 });
    // Another scheduler took the lock: building is its job now.
    health.ticked(at('00:10:00'));
    health.standby();
    expect(health.report(at('00:10:00'))).toMatchObject({ status: 'ok', role: 'standby', reasons: [], last_run_status: 'error' });
    // Back to building: the old failure is not held against it while the new build runs.
    health.ticked(at('00:15:00'));
    health.buildStarted(at('00:15:00'));
    expect(health.report(at('00:15:30'))).toMatchObject({ status: 'ok', role: 'active', running_since: '2026-01-01T00:15:00.000Z' });
    health.buildFinished('r3', 'success', at('00:16:00'));
    expect(health.report(at('00:16:00'))).toMatchObject({ status: 'ok', last_run_id: 'r3', running_since: null });
  });

  it('is degraded when its build outlasts two further ticks, while it keeps ticking', () => {
    const health = new SchedulerHealth(tickSchedule(), at('00:00:00'));
    health.ticked(at('00:05:00'));
    health.buildStarted(at('00:05:00'));
    for (const tick of ['00:10:00', '00:15:00']) health.ticked(at(tick));
    expect(health.report(at('00:15:00'))).toMatchObject({ status: 'ok' });
    expect(health.report(at('00:15:01'))).toMatchObject({ status: 'degraded', reasons: ['the build running since 2026-01-01T00:05:00.000Z has outlasted two scheduled ticks'] });
  });

  it('a standby that ticks on a yearly schedule stays ok all year', () => {
    const health = new SchedulerHealth(tickSchedule('0 0 1 1 *'), at('00:00:00'));
    health.ticked(at('00:00:00'));
    health.standby();
    expect(health.report(new Date('2026-12-31T23:59:59Z'))).toMatchObject({ status: 'ok', role: 'standby', next_tick_at: '2027-01-01T00:00:00.000Z' });
  });
});
