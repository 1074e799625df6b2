// dbt_project.yml is rendered with env_var() and --vars, except vars and hooks (as dbt does).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderYamlValue } from '../jinja/dbt/yaml-values.js';
import { loadProjectConfig } from './project-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dbt_project.yml rendering', () => {
  it('renders config values but leaves vars and hooks as templates', () => {
    writeFileSync(
      path.join(dir, 'dbt_project.yml'),
      [
        'name: demo',
        "target-path: \"{{ env_var('TSDBT_RENDER_TARGET', 'target') }}\"",
        'vars:',
        "  kept: \"{{ var('x') }}\"",
        'on-run-start: ["select \'{{ invocation_id }}\'"]',
        'models:',
        '  demo:',
        "    +enabled: \"{{ var('on', false) | as_bool }}\"",
        "    +post-hook: \"grant select on {{ this }} to reporter\"",
        '',
      ].join('\n'),
    );
    const config = loadProjectConfig(dir, (template, location) => renderYamlValue(template, { env: { TSDBT_RENDER_TARGET: 'out' }, vars: { on: true }, location }));
    expect(config.targetPath).toBe('out');
    expect(config.raw.vars).toEqual({ kept: "{{ var('x') }}" });
    expect(config.raw['on-run-start']).toEqual(["select '{{ invocation_id }}'"]);
    expect(config.models).toEqual({ demo: { '+enabled': true, '+post-hook': 'grant select on {{ this }} to reporter' } });
  });
});
