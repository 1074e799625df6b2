// dbt's StateCheckVarsHash (ManifestLoader.build_manifest_state_check, debug level, I025): fired by
// every parse, with the digest of what decides whether the last parse may be reused as far as the
// command line goes: the --vars as pprint.pformat writes them, --profile, --target and dbt's version.
// A DBT_ENV_SECRET_* var's value is `*****` in the vars shown (dbt's scrub_secrets).
import { createHash } from 'node:crypto';
import { pformat } from '../jinja/engine/filters-format.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';
import type { Logger } from './logger.js';
import { scrubSecrets, secretVarValues } from '../jinja/dbt/secret-env-vars.js';

export function logStateCheckVarsHash(logger: Logger, cliVars: Record<string, unknown>, profile: string | undefined, target: string | undefined): void {
  if (!logger.recordsDebug) return;
  const vars = pformat(cliVars);
  const checksum = createHash('sha256').update([vars, profile ?? '', target ?? '', DBT_VERSION].join('\0')).digest('hex');
  const shown = scrubSecrets(vars, secretVarValues(cliVars));
  // dbt's event is a protobuf message: an unset --profile or --target is its string field's default, ''.
  const data = { checksum, vars: shown, profile: profile ?? '', target: target ?? '', version: DBT_VERSION };
  logger.debug(`checksum: ${checksum}, vars: ${shown}, profile: ${data.profile}, target: ${data.target}, version: ${DBT_VERSION}`, 'StateCheckVarsHash', data);
}
