// catalogs.yml: the project's catalogs and their write integrations (dbt 1.10+), read as dbt-core's
// config/catalogs.py reads it (load_catalogs, load_single_catalog, get_active_write_integration)
// before the manifest is parsed, by the commands dbt marks `@requires.catalogs` (build, compile,
// parse, run, seed, snapshot, test). Every string renders first (env_var, --vars), as dbt's
// SecretRenderer renders the file. Each catalog's active write integration is then handed to the
// adapter, which must support its `catalog_type`: tsdbt's adapters, like dbt-postgres, support none.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { isPlainObject, parseYamlText, renderYamlStrings, type YamlFile } from './yaml-file.js';

export const CATALOGS_FILE = 'catalogs.yml';

/** A catalog's active write integration as dbt hands it to the adapter: named after the catalog, `catalog_name` the integration's. */
export interface ActiveWriteIntegration {
  name: string;
  catalog_type: string;
  catalog_name: string;
  external_volume: string | null;
  table_format: string | null;
  file_format: string | null;
  adapter_properties: Record<string, unknown>;
}

type Path = (string | number)[];
export type CatalogValueRenderer = (template: string, location: SourceLocation) => unknown;

/** dbt's CatalogWriteIntegrationConfig fields (mashumaro refuses any other key); `catalog_name` is dbt's to set. */
const INTEGRATION_FIELDS: Record<string, 'string' | 'optional' | 'mapping'> = {
  name: 'string',
  catalog_type: 'string',
  external_volume: 'optional',
  table_format: 'optional',
  catalog_name: 'optional',
  file_format: 'optional',
  adapter_properties: 'mapping',
};
const CATALOG_FIELDS = new Set(['name', 'active_write_integration', 'write_integrations']);

/** The active write integration of each catalog in `<projectDir>/catalogs.yml` ([] without the file). */
export function loadCatalogs(projectDir: string, render: CatalogValueRenderer): ActiveWriteIntegration[] {
  const abs = path.join(projectDir, CATALOGS_FILE);
  if (!existsSync(abs)) return [];
  return readCatalogs(readFileSync(abs, 'utf8'), render);
}

/** catalogs.yml's text read, rendered and checked in dbt's words; each catalog's active write integration. */
export function readCatalogs(text: string, render: CatalogValueRenderer): ActiveWriteIntegration[] {
  const yaml = parseYamlText(text, CATALOGS_FILE);
  if (yaml.value === null || yaml.value === undefined || (isPlainObject(yaml.value) && Object.keys(yaml.value).length === 0)) {
    throw fail(yaml, [], `The file at ${CATALOGS_FILE} is empty`, 'start it with `catalogs:` and a list of catalogs, or remove the file');
  }
  if (!isPlainObject(yaml.value)) throw fail(yaml, [], `${CATALOGS_FILE} must be a mapping with a \`catalogs:\` list`);
  const catalogs = yaml.value.catalogs ?? [];
  if (!Array.isArray(catalogs)) throw fail(yaml, ['catalogs'], '`catalogs:` must be a list of catalogs');
  return catalogs.map((raw, i) => activeIntegration(yaml, renderYamlStrings(yaml, raw, ['catalogs', i], render), ['catalogs', i]));
}

/** One catalog checked as load_single_catalog checks it, and its active write integration as get_active_write_integration gives it. */
function activeIntegration(yaml: YamlFile, catalog: unknown, at: Path): ActiveWriteIntegration {
  if (!isPlainObject(catalog)) throw fail(yaml, at, 'each catalog must be a mapping with a `name` and `write_integrations`');
  if (typeof catalog.name !== 'string') throw fail(yaml, at, "a catalog needs a `name` (a string): 'name' is a required property");
  const name = catalog.name;
  for (const key of Object.keys(catalog)) {
    if (!CATALOG_FIELDS.has(key)) throw fail(yaml, [...at, key], `Catalog '${name}' has an unknown key '${key}': Additional properties are not allowed`, `a catalog has ${[...CATALOG_FIELDS].join(', ')}`);
  }
  const raw = catalog.write_integrations ?? [];
  if (!Array.isArray(raw)) throw fail(yaml, [...at, 'write_integrations'], `Catalog '${name}': 'write_integrations' must be a list`);
  const integrations: ActiveWriteIntegration[] = [];
  raw.forEach((entry, j) => {
    const where = [...at, 'write_integrations', j];
    const integration = checkedIntegration(yaml, entry, where, name);
    if (integrations.some((x) => x.name === integration.name)) {
      throw fail(yaml, where, `Catalog '${name}' cannot have multiple 'write_integrations' with the same name: '${integration.name}'.`);
    }
    integrations.push(integration);
  });
  const names = integrations.map((x) => x.name);
  let active = catalog.active_write_integration;
  if (active !== undefined && active !== null && typeof active !== 'string') throw fail(yaml, [...at, 'active_write_integration'], `Catalog '${name}': 'active_write_integration' must be a string`);
  if (!active) {
    if (names.length !== 1) throw fail(yaml, at, `Catalog '${name}' must specify an 'active_write_integration' when multiple 'write_integrations' are provided.`, 'name one of its write_integrations as `active_write_integration:`');
    active = names[0];
  } else if (!names.includes(active)) {
    throw fail(yaml, [...at, 'active_write_integration'], `Catalog '${name}' must specify an 'active_write_integration' from its set of defined 'write_integrations': [${names.map((n) => `'${n}'`).join(', ')}]. Got: '${active}'.`);
  }
  const chosen = integrations.find((x) => x.name === active) as ActiveWriteIntegration;
  return { ...chosen, catalog_name: chosen.name, name };
}

function checkedIntegration(yaml: YamlFile, entry: unknown, at: Path, catalog: string): ActiveWriteIntegration {
  if (!isPlainObject(entry)) throw fail(yaml, at, `Catalog '${catalog}': each write integration must be a mapping with a \`name\` and a \`catalog_type\``);
  for (const [key, kind] of Object.entries(INTEGRATION_FIELDS)) {
    const value = entry[key];
    const ok = kind === 'string' ? typeof value === 'string' : kind === 'optional' ? value === undefined || value === null || typeof value === 'string' : value === undefined || isPlainObject(value);
    if (!ok) throw fail(yaml, value === undefined ? at : [...at, key], `Catalog '${catalog}': a write integration's '${key}' ${kind === 'mapping' ? 'must be a mapping' : kind === 'string' ? 'is required (a string)' : 'must be a string'}`);
  }
  for (const key of Object.keys(entry)) {
    if (!(key in INTEGRATION_FIELDS)) throw fail(yaml, [...at, key], `Catalog '${catalog}': write integration '${String(entry.name)}' has an unknown key '${key}'`, `a write integration has ${Object.keys(INTEGRATION_FIELDS).join(', ')}`);
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    name: entry.name as string,
    catalog_type: entry.catalog_type as string,
    catalog_name: catalog,
    external_volume: text(entry.external_volume),
    table_format: text(entry.table_format),
    file_format: text(entry.file_format),
    adapter_properties: isPlainObject(entry.adapter_properties) ? entry.adapter_properties : {},
  };
}

/**
 * The adapter's CatalogIntegrationClient.add: a catalog type the adapter does not support is dbt-adapters'
 * DbtCatalogIntegrationNotSupportedError. `supported`: the adapter's catalog types (none in tsdbt's).
 */
export function checkCatalogSupport(integrations: readonly ActiveWriteIntegration[], adapterType: string, supported: readonly string[] = []): void {
  for (const integration of integrations) {
    if (supported.some((t) => t.toLowerCase() === integration.catalog_type.toLowerCase())) continue;
    throw new TsdbtError(`Catalog type is not supported.\nReceived: ${integration.catalog_type}\nExpected one of: ${supported.join(', ')}`, {
      code: 'catalog-invalid',
      location: { file: CATALOGS_FILE },
      hint: `catalog '${integration.name}' writes through '${integration.catalog_name}', but tsdbt's ${adapterType} adapter supports no catalog integrations; remove the catalog from catalogs.yml`,
    });
  }
}

function fail(yaml: YamlFile, at: Path, message: string, hint = 'see dbt\'s catalogs.yml: `catalogs:` entries with `name`, `write_integrations` (each `name`, `catalog_type`) and `active_write_integration`'): TsdbtError {
  return new TsdbtError(message, { code: 'catalog-invalid', location: at.length ? yaml.locate(at) : { file: yaml.file, line: 1 }, hint });
}
