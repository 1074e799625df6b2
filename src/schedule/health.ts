// What `tsdbt schedule`'s /health answers: whether this scheduler process is doing its job, so an
// orchestrator restarts it only when restarting can help. It is `ok` (HTTP 200) when all hold:
//   1. it ticks: the tick due after its last tick (or after its start, before the first tick) is
//      less than one further scheduled tick late — the tick after that one has not come yet;
//   2. its builds work: the last build it ran ended `success`, or it has not built yet, or it is a
//      standby — a tick after that build found the run lock held by another scheduler, which
//      builds now (a standby that ticks is healthy: skipped ticks are its job);
//   3. no build of its own has run past the second tick after the one that started it.
// Otherwise it is `degraded` (HTTP 503), and `reasons` says which failed.
import type { RunStatus } from './run-history.js';
import type { TickSchedule } from './ticks.js';

export type SchedulerRole = 'starting' | 'active' | 'standby';

export interface HealthReport {
  status: 'ok' | 'degraded';
  /** starting: no tick yet; active: its last tick built (or tried to); standby: another scheduler holds the run lock. */
  role: SchedulerRole;
  reasons: string[];
  last_tick_at: string | null;
  next_tick_at: string;
  /** Its last build (skipped ticks are not builds). */
  last_run_id: string | null;
  last_run_status: RunStatus | null;
  last_run_age_seconds: number | null;
  /** When its running build started, if one runs. */
  running_since: string | null;
}

export class SchedulerHealth {
  private lastTickAt: Date | null = null;
  private role: SchedulerRole = 'starting';
  private lastRun: { runId: string; status: RunStatus; endedAt: Date } | null = null;
  private runningSince: Date | null = null;
  /** A tick found the lock held by another scheduler since its last build ended. */
  private standbySinceLastRun = false;

  constructor(
    private readonly schedule: TickSchedule,
    private readonly startedAt: Date,
  ) {}

  /** A tick happened (whatever it then did). */
  ticked(at: Date): void {
    this.lastTickAt = at;
  }

  /** The tick found the run lock held by another scheduler. */
  standby(): void {
    this.role = 'standby';
    this.standbySinceLastRun = true;
  }

  /** This scheduler holds the run lock and builds. */
  buildStarted(at: Date): void {
    this.role = 'active';
    this.runningSince = at;
  }

  /** Its build ended (or could not start: the lock could not be asked for). */
  buildFinished(runId: string, status: RunStatus, endedAt: Date): void {
    this.role = 'active';
    this.runningSince = null;
    this.standbySinceLastRun = false;
    this.lastRun = { runId, status, endedAt };
  }

  report(now: Date): HealthReport {
    const reasons: string[] = [];
    const due = this.schedule.next(this.lastTickAt ?? this.startedAt);
    if (now.getTime() > this.schedule.next(due).getTime()) {
      reasons.push(`the tick due at ${due.toISOString()} has not happened (the scheduler is stuck)`);
    }
    if (!this.standbySinceLastRun && this.lastRun && this.lastRun.status !== 'success') {
      reasons.push(`the last build (run ${this.lastRun.runId}) ended ${this.lastRun.status}`);
    }
    if (this.runningSince && now.getTime() > this.schedule.next(this.schedule.next(this.runningSince)).getTime()) {
      reasons.push(`the build running since ${this.runningSince.toISOString()} has outlasted two scheduled ticks`);
    }
    return {
      status: reasons.length ? 'degraded' : 'ok',
      role: this.role,
      reasons,
      last_tick_at: this.lastTickAt?.toISOString() ?? null,
      next_tick_at: this.schedule.next(now).toISOString(),
      last_run_id: this.lastRun?.runId ?? null,
      last_run_status: this.lastRun?.status ?? null,
      last_run_age_seconds: this.lastRun ? Math.round((now.getTime() - this.lastRun.endedAt.getTime()) / 1000) : null,
      running_since: this.runningSince?.toISOString() ?? null,
    };
  }
}
