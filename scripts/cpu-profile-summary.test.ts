import { describe, expect, it } from 'vitest';
import { callTree, moduleOf, selfSummary, type CpuProfile } from './cpu-profile-summary.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) -> main -> parseFile (called twice from two places of main) -> yaml's parse; and the GC.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 6] },
    { id: 2, callFrame: frame('main', 'file:///x/dist/bundle/cli.cjs', 9), children: [3, 5] },
    { id: 3, callFrame: frame('parseFile', 'file:///x/dist/bundle/cli.cjs', 19), children: [4] },
    { id: 4, callFrame: frame('parse', 'file:///x/node_modules/js-yaml/dist/js-yaml.js', 99) },
    { id: 5, callFrame: frame('parseFile', 'file:///x/dist/bundle/cli.cjs', 19) },
    { id: 6, callFrame: frame('(garbage collector)') },
  ],
  samples: [2, 3, 4, 4, 5, 6, 6, 6],
  timeDeltas: [1000, 2000, 3000, 4000, 4000, 5000, 5000, 5000],
};

describe('cpu-profile-summary', () => {
  it('adds self time up by function and by module', () => {
    const { totalMs, byFunction, byModule } = selfSummary(profile);
    expect(totalMs).toBe(29);
    expect(byFunction).toEqual([
      ['(garbage collector):1', 15],
      ['parse:100 node_modules/js-yaml/dist/js-yaml.js', 7],
      ['parseFile:20 dist/bundle/cli.cjs', 6],
      ['main:10 dist/bundle/cli.cjs', 1],
    ]);
    expect(byModule).toEqual([
      ['(garbage collector)', 15],
      ['dist/bundle/cli.cjs', 7],
      ['js-yaml', 7],
    ]);
  });

  it('gives inclusive times, calls of one name at one level added together', () => {
    expect(callTree(profile, /^main:/, 5, 0)).toEqual([
      { depth: 0, ms: 14, name: 'main:10' },
      { depth: 1, ms: 13, name: 'parseFile:20' },
      { depth: 2, ms: 7, name: 'parse:100' },
    ]);
    expect(callTree(profile, /^\(root\):/, 1, 10)).toEqual([
      { depth: 0, ms: 29, name: '(root):1' },
      { depth: 1, ms: 15, name: '(garbage collector):1' },
      { depth: 1, ms: 14, name: 'main:10' },
    ]);
  });

  it('names a scoped package by its scope and name', () => {
    expect(moduleOf(frame('f', 'file:///x/node_modules/@electric-sql/pglite/dist/index.js'))).toBe('@electric-sql/pglite');
  });
});
