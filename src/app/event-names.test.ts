import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VALID_EVENT_NAMES, eventCode, isDbtEvent } from './event-names.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return file.endsWith('.ts') && !file.endsWith('.test.ts') ? [file] : [];
  });
}

describe('the event names warn_error_options accepts', () => {
  it("has dbt's names, the Deprecations group and the level classes dbt's list takes in", () => {
    for (const name of ['NothingToDo', 'NoNodesForSelectionCriteria', 'JinjaLogWarning', 'LogTestResult', 'Deprecations', 'WarnLevel', 'ConfigDataPathDeprecation']) {
      expect(VALID_EVENT_NAMES.has(name), name).toBe(true);
    }
    expect(VALID_EVENT_NAMES.has('NothingToD0')).toBe(false);
  });

  it('has every name tsdbt logs an event under (a logger call or an event literal in src/), so each can be silenced', () => {
    // A logger call's name argument: `.warn(message, 'Name'`, with up to two levels of parentheses in the message.
    const loggerCall = /\.(?:info|debug|warn|warnOrError|error)\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*?,\s*'([A-Z]\w+)'/g;
    const eventLiteral = /\b(?:event|name):\s*'([A-Z][a-z]\w+)'/g;
    const logged = new Map<string, string>();
    for (const file of sourceFiles(SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const pattern of [loggerCall, eventLiteral]) for (const m of text.matchAll(pattern)) logged.set(m[1]!, path.relative(SRC, file));
    }
    expect(logged.size).toBeGreaterThan(50);
    expect([...logged].filter(([name]) => !VALID_EVENT_NAMES.has(name)).map(([name, file]) => `${name} (${file})`)).toEqual([]);
    // Each name a logger call passes has a code for its JSON line's info.code (dbt's, or tsdbt's TS range).
    const called = new Set<string>();
    for (const file of sourceFiles(SRC)) for (const m of fs.readFileSync(file, 'utf8').matchAll(loggerCall)) called.add(m[1]!);
    expect([...called].filter((name) => !(isDbtEvent(name) ? /^[A-Z]\d{3}$/ : /^TS\d{3}$/).test(eventCode(name) ?? ''))).toEqual([]);
  });

  it("gives dbt's events dbt's codes and tsdbt's own codes no dbt code can be", () => {
    expect([eventCode('LogStartLine'), eventCode('LogModelResult'), eventCode('StatsLine'), eventCode('Note'), eventCode('SQLQuery')]).toEqual(['Q011', 'Q012', 'Z023', 'Z050', 'E016']);
    expect(eventCode('LoaderProgress')).toMatch(/^TS\d{3}$/);
    expect(isDbtEvent('LoaderProgress')).toBe(false);
  });
});
