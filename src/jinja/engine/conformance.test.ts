// Jinja2 conformance: every idiom in conformance-cases.ts renders exactly as Jinja2 does.
import { describe, expect, it } from 'vitest';
import { conformanceCases } from './conformance-cases.js';
import { JinjaEnvironment } from './index.js';

describe('Jinja2 conformance', () => {
  const env = new JinjaEnvironment();
  for (const c of conformanceCases) {
    it(c.name, () => {
      expect(env.renderString(c.template, structuredClone(c.context), `conformance/${c.name}.sql`)).toBe(c.expected);
    });
  }
});
