// dbt's rule for secret environment variables (DBT_ENV_SECRET_*): only profiles.yml and packages.yml
// may read them (dbt's SecretContext); env_var() anywhere else raises SecretEnvVarLocationError, so a
// secret never reaches compiled SQL, manifest.json or a property's rendered value.
import { TsdbtError } from '../../errors/tsdbt-error.js';

/** dbt_common's SECRET_ENV_PREFIX. */
export const SECRET_ENV_PREFIX = 'DBT_ENV_SECRET';

/** dbt's SecretEnvVarLocationError for `name`, when it is a secret's; null otherwise. */
export function secretEnvVarLocationError(name: string): TsdbtError | null {
  if (!name.startsWith(SECRET_ENV_PREFIX)) return null;
  return new TsdbtError(`Secret env vars are allowed only in profiles.yml or packages.yml. Found '${name}' referenced elsewhere.`, {
    code: 'secret-env-var-location',
    hint: `read ${name} in profiles.yml (or packages.yml) only, or rename the variable without the ${SECRET_ENV_PREFIX} prefix if it is no secret`,
  });
}

/** The values of the --vars dbt counts as secrets: named DBT_ENV_SECRET_*, not blank (dbt's var_secrets). */
export function secretVarValues(vars: Record<string, unknown>): string[] {
  return Object.entries(vars)
    .filter(([name, value]) => name.startsWith(SECRET_ENV_PREFIX) && typeof value === 'string' && value.trim() !== '')
    .map(([, value]) => value as string);
}

/** dbt's scrub_secrets: every secret in `text` replaced by `*****`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('*****'), text);
}
