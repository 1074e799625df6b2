// dbt's ResourceReport (Z051), the event every command ends with (dbt/cli/requires.py's postflight):
// the command, whether it succeeded, its wall-clock time and the process's resource usage
// (getrusage's user and kernel CPU seconds, peak RSS in kilobytes, block reads and writes). At
// debug level, unless --show-resource-report (DBT_SHOW_RESOURCE_REPORT) asks for info.
import type { Invocation } from './invocation.js';

/** The event's fields as dbt's JSON log carries them (its proto's int64 fields are JSON strings). */
export function resourceReportData(command: string, success: boolean, wallSeconds: number, usage: NodeJS.ResourceUsage): Record<string, unknown> {
  return {
    command_name: command,
    command_success: success,
    command_wall_clock_time: wallSeconds,
    process_user_time: usage.userCPUTime / 1e6,
    process_kernel_time: usage.systemCPUTime / 1e6,
    process_mem_max_rss: String(usage.maxRSS),
    process_in_blocks: String(usage.fsRead),
    process_out_blocks: String(usage.fsWrite),
  };
}

/** Logs the report for a command that ran `wallSeconds` and succeeded or not. */
export function logResourceReport(inv: Pick<Invocation, 'logger' | 'options'>, command: string, success: boolean, wallSeconds: number, usage = process.resourceUsage()): void {
  const data = resourceReportData(command, success, wallSeconds, usage);
  // dbt's message is the event's to_json(): Python's json separators.
  const json = `{${Object.entries(data).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ')}}`;
  inv.logger.emit({ level: inv.options.showResourceReport === true ? 'info' : 'debug', name: 'ResourceReport', message: `Resource report: ${json}`, data });
}
