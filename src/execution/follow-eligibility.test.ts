// Which models lead a pipelined round trip: the built-in view and table, contracted ones too (only
// their build transaction is marked final, after the contract's describe: final-transaction.test.ts),
// not one with a post-hook outside the transaction.
import { describe, expect, it } from 'vitest';
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import { materializeTable } from '../materializations/table.js';
import { materializeView } from '../materializations/view.js';
import { leads } from './follow-eligibility.js';

const model = (config: Record<string, unknown>) =>
  nodeSkeleton({ resourceType: 'model', packageName: 'demo', name: 'm', originalFilePath: 'models/m.sql', pathInResourceDir: 'm.sql', rawCode: 'select 1', config: { ...defaultConfig('model'), ...config } });

describe('leads', () => {
  it('takes the built-in view and table', () => {
    expect(leads(model({ materialized: 'table' }), materializeTable)).toBe(true);
    expect(leads(model({ materialized: 'view' }), materializeView)).toBe(true);
  });

  it('takes a contracted table, and leaves out a post-hook outside the transaction', () => {
    expect(leads(model({ materialized: 'table', contract: { enforced: true } }), materializeTable)).toBe(true);
    expect(leads(model({ materialized: 'table', post_hook: [{ sql: 'select 1', transaction: false }] }), materializeTable)).toBe(false);
  });
});
