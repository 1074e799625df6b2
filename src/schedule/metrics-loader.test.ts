// The loader's numbers on /metrics: lag per partition, rows, and what did not become a row (dead
// letters, offsets without a readable message, messages lost to retention or offset_reset).
import { describe, expect, it } from 'vitest';
import { ScheduleMetrics } from './metrics.js';

describe('ScheduleMetrics.recordLoader', () => {
  it('exposes dead letters, offset gaps and lost messages per source', async () => {
    const metrics = new ScheduleMetrics();
    metrics.recordLoader('source.demo.raw.events', { loaded: 90, duplicates: 1, deadLetters: 4, messages: 95, gaps: 3, lost: 490, lag: { 0: 0, 1: 7 } }, 12);
    const text = await metrics.registry.metrics();
    for (const line of [
      'tsdbt_loader_rows_loaded{source="source.demo.raw.events"} 90',
      'tsdbt_loader_lag_messages{source="source.demo.raw.events",partition="1"} 7',
      'tsdbt_loader_dead_letters{source="source.demo.raw.events"} 4',
      'tsdbt_loader_offset_gaps{source="source.demo.raw.events"} 3',
      'tsdbt_loader_messages_lost{source="source.demo.raw.events"} 490',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
  });
});
