// dbt 1.11's Profile.pick_profile_name: --profile, else dbt_project.yml's `profile:`, else its error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import { pickProfileName } from './no-profile.js';

describe('pickProfileName', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'no-profile-'));
  it('takes --profile over the project, then the project', () => {
    expect(pickProfileName('flag', 'project', { cwd, env: {} })).toBe('flag');
    expect(pickProfileName(undefined, 'project', { cwd, env: {} })).toBe('project');
  });

  it("refuses a project without one in dbt's words, naming ~/.dbt or the working directory's profiles.yml", () => {
    const refused = (): TsdbtError => {
      try {
        pickProfileName(undefined, null, { cwd, env: { HOME: '/home/u' } });
      } catch (err) {
        return err as TsdbtError;
      }
      throw new Error('not refused');
    };
    expect(refused().message).toMatch(/^dbt cannot run because no profile was specified for this dbt project\.\n[\s\S]*\nprofile: \[profile name\]\n[\s\S]*\n\/home\/u\/\.dbt\/profiles\.yml$/);
    expect(refused().code).toBe('profile-missing');
    writeFileSync(path.join(cwd, 'profiles.yml'), 'x: {}\n');
    expect(refused().message.endsWith(`\n${cwd}/profiles.yml`)).toBe(true);
  });
});
