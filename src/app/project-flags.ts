// dbt_project.yml's `flags:` (dbt's ProjectFlags) for the options no command-line flag or env var
// set: dbt's Flags (cli/flags.py) gives a project flag to every parameter whose value came from its
// default, so a flag wins over its env var, which wins over dbt_project.yml, which wins over dbt's
// default. The log flags (log-settings.ts), warn_error(_options) (warn-error.ts) and static_parser
// (flags-context.ts) are read where they are used; these are the others that change what tsdbt does.
import type { Invocation, InvocationOptions } from './invocation.js';

const INDIRECT_SELECTION = ['eager', 'cautious', 'buildable', 'empty'] as const;

const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

/** Sets each option that is still undefined from dbt_project.yml's `flags:`, and the logger's width and colours with them. */
export function applyProjectFlags(inv: Pick<Invocation, 'options' | 'logger'>, flags: Record<string, unknown>): void {
  const o: InvocationOptions = inv.options;
  o.failFast ??= bool(flags.fail_fast);
  o.debug ??= bool(flags.debug);
  o.writeJson ??= bool(flags.write_json);
  const partialParse = bool(flags.partial_parse);
  if (o.noPartialParse === undefined && partialParse !== undefined) o.noPartialParse = !partialParse;
  const versionCheck = bool(flags.version_check);
  if (o.noVersionCheck === undefined && versionCheck !== undefined) o.noVersionCheck = !versionCheck;
  const indirect = INDIRECT_SELECTION.find((mode) => mode === flags.indirect_selection);
  o.indirectSelection ??= indirect;
  const width = flags.printer_width;
  if (o.printerWidth === undefined && typeof width === 'number' && Number.isInteger(width) && width > 0) {
    o.printerWidth = width;
    inv.logger.useDisplay({ printerWidth: width });
  }
  const colors = bool(flags.use_colors);
  if (o.useColors === undefined && o.color === undefined && colors !== undefined) {
    o.useColors = colors;
    inv.logger.useDisplay({ color: colors });
  }
}
