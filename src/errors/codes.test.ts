// The error-code catalogue: well formed, in step with the codes src/ raises (the type system checks
// the literal ones; this checks the codes made at run time and catches unused entries), and with
// README.md's tables.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { errorCodeTables, SECTION_END, SECTION_START, withErrorCodeTables } from '../../scripts/error-codes-section.js';
import { clickhouseError } from '../adapters/clickhouse/clickhouse-connection.js';
import type { ClickHouseSettings } from '../adapters/clickhouse/clickhouse-profile.js';
import { toTsdbtError } from '../adapters/postgres/postgres-errors.js';
import { exceptionsNamespace } from '../jinja/dbt/dbt-context-extras.js';
import { ERROR_AREAS, ERROR_CODES, errorCodeInfo, errorCodeKey, isErrorCode, type ErrorCode, type ErrorCodeInfo } from './codes.js';
import * as exitCodes from './exit-codes.js';
import { TsdbtError, TsdbtErrorList, asTsdbtError } from './tsdbt-error.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = path.join(REPO, 'src');
const CATALOGUE_FILE = path.join(SRC, 'errors', 'codes.ts');
const entries = Object.entries(ERROR_CODES) as [string, ErrorCodeInfo][];
const isFamily = (key: string) => /<[^>]+>/.test(key);

/** What src/ (outside tests and the catalogue) says about codes, read from its syntax trees. */
function scanSources() {
  const literals = new Set<string>();
  const templateHeads = new Set<string>();
  /** `code: ...` of the options given to an error's constructor: literal codes, and templates as a sample code ('0' for each substitution). */
  const constructed: { code: string; where: string }[] = [];
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(SRC, f))
    .filter((f) => f !== CATALOGUE_FILE);
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => `${path.relative(REPO, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const codesIn = (expr: ts.Node) => {
      const visit = (n: ts.Node): void => {
        if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) constructed.push({ code: n.text, where: where(n) });
        else if (ts.isTemplateExpression(n)) constructed.push({ code: n.head.text + n.templateSpans.map((s) => `0${s.literal.text}`).join(''), where: where(n) });
        else if (ts.isBinaryExpression(n) && n.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken) return;
        else ts.forEachChild(n, visit);
      };
      // The condition of `a ? 'x' : 'y'` holds no code.
      if (ts.isConditionalExpression(expr)) [expr.whenTrue, expr.whenFalse].forEach(visit);
      else visit(expr);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.add(node.text);
      if (ts.isTemplateExpression(node)) templateHeads.add(node.head.text);
      const isErrorConstruction = (call: ts.Node) =>
        (ts.isNewExpression(call) && /Error$/.test(call.expression.getText(source))) || (ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.SuperKeyword);
      if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'code' && ts.isObjectLiteralExpression(node.parent) && isErrorConstruction(node.parent.parent)) codesIn(node.initializer);
      if (ts.isShorthandPropertyAssignment(node) && node.name.text === 'code' && ts.isObjectLiteralExpression(node.parent) && isErrorConstruction(node.parent.parent)) constructed.push({ code: '(a variable)', where: where(node) });
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, templateHeads, constructed };
}

describe('the error-code catalogue', () => {
  it('gives every code a one-line meaning, a known area and documented exit codes', () => {
    const documented = new Set<number>(Object.values(exitCodes).filter((c) => c !== exitCodes.EXIT_OK));
    expect([...documented].sort()).toEqual([1, 2]);
    expect(entries.length).toBeGreaterThan(100);
    for (const [code, info] of entries) {
      expect(code, code).toMatch(/^[a-z][a-z0-9]*(-([a-z0-9]+|<[A-Za-z]+>))*$/);
      expect(info.meaning, code).toMatch(/^\S.*\S$/);
      expect(info.meaning, code).not.toMatch(/[\n\r]/);
      expect(info.meaning.length, code).toBeLessThanOrEqual(160);
      expect(Object.keys(ERROR_AREAS), code).toContain(info.area);
      expect(info.exit.length, code).toBeGreaterThan(0);
      expect(new Set(info.exit).size, code).toBe(info.exit.length);
      for (const exit of info.exit) expect(documented.has(exit), `${code}: exit ${exit}`).toBe(true);
    }
    for (const area of Object.keys(ERROR_AREAS)) expect(entries.some(([, info]) => info.area === area), area).toBe(true);
  });

  it('looks codes up, a family member by its family', () => {
    expect(errorCodeKey('jinja-render')).toBe('jinja-render');
    expect(errorCodeKey('sqlstate-42P01')).toBe('sqlstate-<SQLSTATE>');
    expect(errorCodeKey('clickhouse-60')).toBe('clickhouse-<number>');
    expect(errorCodeKey('clickhouse-auth')).toBe('clickhouse-auth');
    expect(errorCodeInfo('sqlstate-23505').area).toBe('warehouse');
    for (const uncatalogued of ['mine', 'jinja-sytnax', 'clickhouse-abc', 'sqlstate-', 'sqlstate-<SQLSTATE>', 'clickhouse-<number>', 'toString', '__proto__']) {
      expect(isErrorCode(uncatalogued), uncatalogued).toBe(false);
    }
  });

  it('is what TsdbtError accepts: an uncatalogued code does not compile', () => {
    const typo = () =>
      // @ts-expect-error -- 'jinja-sytnax' is not a catalogued code
      new TsdbtError('x', { code: 'jinja-sytnax' });
    expect(typo().code).toBe('jinja-sytnax');
    const family: ErrorCode = 'sqlstate-42P01';
    expect(new TsdbtError('x', { code: family }).code).toBe('sqlstate-42P01');
  });

  describe('and the codes in src/', () => {
    const scan = scanSources();

    it('every code given to an error constructor is catalogued (or passes another error\'s code on)', () => {
      const uncatalogued = scan.constructed.filter(({ code }) => code !== '(a variable)' && !isErrorCode(code));
      expect(uncatalogued).toEqual([]);
      expect(scan.constructed.length).toBeGreaterThan(200);
    });

    it('every catalogued code is raised somewhere: a code as a string literal, a family as a template', () => {
      const unused = entries
        .map(([code]) => code)
        .filter((code) => {
          if (!isFamily(code)) return !scan.literals.has(code);
          const head = code.slice(0, code.indexOf('<'));
          return !scan.templateHeads.has(head);
        });
      expect(unused).toEqual([]);
    });

    it('the codes made at run time are catalogued: SQLSTATEs, ClickHouse codes, error lists, internal failures', () => {
      const place = { kind: 'postgres' as const, location: 'db:5432/x' };
      const pgError = (code: string) => toTsdbtError(Object.assign(new Error('boom'), { code }), place);
      expect(errorCodeKey(pgError('42P01').code)).toBe('sqlstate-<SQLSTATE>');
      expect(errorCodeKey(pgError('28P01').code)).toBe('warehouse-auth');
      expect(errorCodeKey(toTsdbtError(new Error('odd'), place).code)).toBe('database-error');
      const settings = { driver: 'http', url: 'http://localhost:8123', user: 'default', path: null } as unknown as ClickHouseSettings;
      expect(errorCodeKey(clickhouseError(Object.assign(new Error('Code: 60. Unknown table'), { code: '60' }), settings).code)).toBe('clickhouse-<number>');
      expect(errorCodeKey(clickhouseError(new Error('strange'), settings).code)).toBe('clickhouse-error');
      expect(new TsdbtErrorList([]).code).toBe('multiple');
      expect(asTsdbtError(new TypeError('x')).code).toBe('internal');
    });

    it("dbt's exceptions namespace raises catalogued codes", () => {
      const namespace = exceptionsNamespace(false, () => undefined);
      const raised: string[] = [];
      for (const [name, fn] of Object.entries(namespace)) {
        if (typeof fn !== 'function') continue;
        try {
          (fn as (...a: unknown[]) => unknown)('message', 'b', 'c');
        } catch (err) {
          expect(err, name).toBeInstanceOf(TsdbtError);
          raised.push((err as TsdbtError).code);
        }
      }
      expect(raised.length).toBeGreaterThan(15);
      expect(raised.filter((code) => !isErrorCode(code))).toEqual([]);
    });
  });

  it("is README.md's error-code tables, both ways", () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain(SECTION_START);
    expect(readme).toContain(SECTION_END);
    const inReadme = readme.slice(readme.indexOf(SECTION_START) + SECTION_START.length, readme.indexOf(SECTION_END)).trim();
    // Every catalogued code has its row, and every row is a catalogued code with its meaning.
    const rows = inReadme.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1]).sort()).toEqual(entries.map(([code]) => code).sort());
    expect(inReadme, 'README.md is out of date: run `npm run readme:error-codes`').toBe(errorCodeTables());
    expect(withErrorCodeTables(readme)).toBe(readme);
  });
});
