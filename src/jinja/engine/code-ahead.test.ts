// JinjaEnvironment.codeAhead: a command that compiles every node after its parse (docs generate)
// has the code of the templates the parse's static parser read generated from that parse's syntax
// tree, so the compile does not parse them a second time (a tenth of docs generate's CPU on 5,000
// models). The tree given is the one compiled: here it is deliberately not the source's own.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from './environment.js';
import { parseTemplate } from './parse-template.js';

describe('code generated ahead from the parse tree', () => {
  const src = { path: 'models/m.sql', source: 'select {{ 1 + 1 }}' };
  const otherTree = () => parseTemplate('select {{ 40 + 2 }}', 'models/m.sql');

  it('is what compileMany compiles, instead of parsing the source again', () => {
    const env = new JinjaEnvironment();
    env.keepCodeAhead = true;
    env.codeAhead(src, otherTree());
    env.compileMany([src]);
    expect(env.render(env.compile(src), {})).toBe('select 42');
  });

  it('is not made for a template compiled already', () => {
    const env = new JinjaEnvironment();
    env.keepCodeAhead = true;
    env.compileMany([src]);
    env.codeAhead(src, otherTree());
    env.compileMany([src]);
    expect(env.render(env.compile(src), {})).toBe('select 2');
  });

  it('is not made unless the command compiles everything (keepCodeAhead)', () => {
    const env = new JinjaEnvironment();
    env.codeAhead(src, otherTree());
    env.compileMany([src]);
    expect(env.render(env.compile(src), {})).toBe('select 2');
  });
});
