// offset_reset's decision for a stored position outside the partition's log: below its start
// (retention) or past its end (a recreated topic), for earliest, latest and fail.
import { describe, expect, it } from 'vitest';
import { checkPosition } from './offset-range.js';

const subject = { source: 'raw.events', topic: 't', partition: 2, offsetsTable: 'raw.tsdbt_kafka_offsets', groupId: 'g', location: { file: 'models/sources.yml', line: 7 } };

describe('checkPosition', () => {
  it('keeps a position inside the log, both ends included', () => {
    for (const position of [100, 150, 200]) expect(checkPosition(position, { low: 100, high: 200 }, 'fail', subject)).toEqual({ action: 'keep' });
  });

  it('earliest: goes on from the log start and counts what retention deleted', () => {
    expect(checkPosition(40, { low: 100, high: 200 }, 'earliest', subject)).toEqual({
      action: 'reset',
      to: 100,
      lost: 60,
      message: 'source raw.events: topic t partition 2: the stored offset 40 is below the log start 100: retention deleted 60 messages before they were loaded; going on from the log start 100 (offset_reset: earliest)',
    });
    expect(checkPosition(500, { low: 0, high: 20 }, 'earliest', subject)).toMatchObject({ action: 'reset', to: 0, lost: 0 });
  });

  it('latest: goes on from the end and counts everything passed over', () => {
    expect(checkPosition(40, { low: 100, high: 200 }, 'latest', subject)).toMatchObject({ action: 'reset', to: 200, lost: 160 });
    expect(checkPosition(500, { low: 5, high: 20 }, 'latest', subject)).toMatchObject({ action: 'reset', to: 20, lost: 15 });
  });

  it('fail: an error at the source with what to do', () => {
    const decision = checkPosition(40, { low: 100, high: 200 }, 'fail', subject);
    if (decision.action !== 'fail') throw new Error('expected fail');
    expect(decision.error.code).toBe('kafka-offset-out-of-range');
    expect(decision.error.location).toEqual({ file: 'models/sources.yml', line: 7 });
    expect(decision.error.retriable).toBe(false);
    expect(decision.error.hint).toMatch(/offset_reset: earliest.*raw\.tsdbt_kafka_offsets.*offset_reset: latest/);
  });
});
