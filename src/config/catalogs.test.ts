// catalogs.yml as dbt-core 1.11 reads it (config/catalogs.py): each catalog's active write
// integration, or dbt's validation errors; then the adapter's support for the catalog type.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkCatalogSupport, loadCatalogs, readCatalogs } from './catalogs.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

const asIs = (template: string) => template;
const integration = (name: string) => `      - name: ${name}\n        catalog_type: write\n        table_format: iceberg\n        external_volume: vol\n        adapter_properties: {p: ${name}}\n`;

function errorOf(fn: () => unknown): TsdbtError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TsdbtError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('catalogs.yml', () => {
  it('gives each catalog its active write integration, named after the catalog', () => {
    const text = `catalogs:\n  - name: one\n    write_integrations:\n${integration('w1')}  - name: two\n    active_write_integration: w3\n    write_integrations:\n${integration('w2')}${integration('w3')}`;
    expect(readCatalogs(text, asIs)).toEqual([
      { name: 'one', catalog_name: 'w1', catalog_type: 'write', table_format: 'iceberg', external_volume: 'vol', file_format: null, adapter_properties: { p: 'w1' } },
      { name: 'two', catalog_name: 'w3', catalog_type: 'write', table_format: 'iceberg', external_volume: 'vol', file_format: null, adapter_properties: { p: 'w3' } },
    ]);
  });

  it('refuses several write integrations without an active one, in dbt\'s words', () => {
    const err = errorOf(() => readCatalogs(`catalogs:\n  - name: c\n    write_integrations:\n${integration('w1')}${integration('w2')}`, asIs));
    expect(err.message).toBe("Catalog 'c' must specify an 'active_write_integration' when multiple 'write_integrations' are provided.");
    expect(err.location).toMatchObject({ file: 'catalogs.yml', line: 2 });
  });

  it('refuses an active write integration that is not among them, listing them as dbt does', () => {
    const err = errorOf(() => readCatalogs(`catalogs:\n  - name: c\n    active_write_integration: w9\n    write_integrations:\n${integration('w1')}${integration('w2')}`, asIs));
    expect(err.message).toBe("Catalog 'c' must specify an 'active_write_integration' from its set of defined 'write_integrations': ['w1', 'w2']. Got: 'w9'.");
    expect(err.location?.line).toBe(3);
  });

  it('refuses two write integrations of one name', () => {
    const err = errorOf(() => readCatalogs(`catalogs:\n  - name: c\n    active_write_integration: w1\n    write_integrations:\n${integration('w1')}${integration('w1')}`, asIs));
    expect(err.message).toBe("Catalog 'c' cannot have multiple 'write_integrations' with the same name: 'w1'.");
  });

  it('refuses an empty file, a missing catalog_type and an unknown key', () => {
    expect(errorOf(() => readCatalogs('', asIs)).message).toBe('The file at catalogs.yml is empty');
    expect(errorOf(() => readCatalogs('catalogs:\n  - name: c\n    write_integrations:\n      - name: w1\n', asIs)).message).toContain("'catalog_type' is required");
    expect(errorOf(() => readCatalogs(`catalogs:\n  - name: c\n    colour: red\n    write_integrations:\n${integration('w1')}`, asIs)).location?.line).toBe(3);
  });

  it('renders every string before checking (env_var, --vars)', () => {
    const render = (t: string) => t.replace('{{ var("w") }}', 'w2');
    const text = `catalogs:\n  - name: c\n    active_write_integration: '{{ var("w") }}'\n    write_integrations:\n${integration('w1')}${integration('w2')}`;
    expect(readCatalogs(text, render)[0]?.catalog_name).toBe('w2');
  });

  it('reads nothing without the file, and the adapter refuses a catalog type it does not support', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsdbt-catalogs-'));
    expect(loadCatalogs(dir, asIs)).toEqual([]);
    writeFileSync(path.join(dir, 'catalogs.yml'), `catalogs:\n  - name: c\n    write_integrations:\n${integration('w1')}`);
    const active = loadCatalogs(dir, asIs);
    expect(() => checkCatalogSupport(active, 'postgres', ['write'])).not.toThrow();
    const err = errorOf(() => checkCatalogSupport(active, 'postgres'));
    expect(err.message).toBe('Catalog type is not supported.\nReceived: write\nExpected one of: ');
    expect(err.code).toBe('catalog-invalid');
  });
});
