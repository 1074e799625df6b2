// A saved query's (and an exposure's) tags in manifest.json are its entry's and its config's
// (dbt_project.yml's `saved-queries: +tags` included), each once and sorted, as dbt's
// SavedQueryParser and ExposureParser sort them (dbt-core's TestSavedQueryTagsAdditiveWithConfig).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES, SEMANTIC_YML, parseSemanticProject } from '../support/semantic-project.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('saved query tags', () => {
  it("are the entry's and the project's, once each, sorted", async () => {
    const dir = testdir({
      ...FILES,
      'dbt_project.yml': `${MINIMAL_PROJECT_YML}saved-queries:\n  +tags: [tag_b, tag_c]\n`,
      'models/semantic.yml': SEMANTIC_YML.replace('    tags: [finance, daily]\n', '    tags: [tag_c, tag_a]\n'),
    });
    try {
      const out = await parseSemanticProject(dir);
      expect(out.code, out.output).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { saved_queries: Record<string, { tags: string[] }> };
      expect(manifest.saved_queries['saved_query.demo.revenue_by_day']?.tags).toEqual(['tag_a', 'tag_b', 'tag_c']);
    } finally {
      removeDir(dir);
    }
  });
});
