// The error printer: each distinct error once with the node and call chain of every occurrence,
// internal failures (JavaScript errors inside tsdbt) as tsdbt bugs with their stack only in --debug.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../jinja/engine/index.js';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import { reportFatal } from './error-output.js';

function raisedIn(model: string, callLine: number): TsdbtError {
  const err = new TsdbtError('guarded() refuses amount', { code: 'compiler-error', location: { file: 'macros/guard.sql', line: 2 } });
  err.calledFrom.push({ file: `models/${model}.sql`, line: callLine });
  return err.inNode({ resourceType: 'model', name: model, file: `models/${model}.sql` });
}

function printed(err: unknown, debug = false): string[] {
  const lines: string[] = [];
  const code = reportFatal(err, (line) => lines.push(...line.split('\n')), 'text', { debug });
  expect(code).toBe(2);
  return lines;
}

describe('reportFatal', () => {
  it('prints an error raised in a macro once, with each node that called it', () => {
    expect(printed(new TsdbtErrorList([raisedIn('alpha', 2), raisedIn('beta', 4)]))).toEqual([
      'Encountered an error:',
      'Compilation Error',
      '  macros/guard.sql:2: guarded() refuses amount',
      '    in model alpha: models/alpha.sql:2 -> macros/guard.sql:2',
      '    in model beta: models/beta.sql:4 -> macros/guard.sql:2',
      '    hint: this error was raised by exceptions.raise_compiler_error in the project; read the message above',
    ]);
  });

  it('keeps distinct errors apart', () => {
    const other = new TsdbtError("Required var 'x' not found in config", { code: 'var-missing', location: { file: 'models/gamma.sql', line: 1 } }).inNode({ resourceType: 'model', name: 'gamma', file: 'models/gamma.sql' });
    const lines = printed(new TsdbtErrorList([raisedIn('alpha', 2), other]));
    expect(lines).toContain('  macros/guard.sql:2: guarded() refuses amount');
    expect(lines).toContain('Compilation Error in model gamma (models/gamma.sql)');
    expect(lines).toContain("  models/gamma.sql:1: Required var 'x' not found in config");
  });

  it('gives a chain that never leaves one line of one file as that line alone', () => {
    const err = new TsdbtError('boom', { code: 'compiler-error', location: { file: 'models/delta.sql', line: 3 } });
    // A macro defined and called on the model's line 3, and the same line reached twice.
    err.calledFrom.push({ file: 'models/delta.sql', line: 3 }, { file: 'models/delta.sql', line: 3 });
    expect(printed(err.inNode({ resourceType: 'model', name: 'delta', file: 'models/delta.sql' }))).toEqual([
      'Encountered an error:',
      'Compilation Error in model delta (models/delta.sql)',
      '  models/delta.sql:3: boom',
      '    hint: this error was raised by exceptions.raise_compiler_error in the project; read the message above',
    ]);
    // A chain through another line keeps every step, once each.
    const through = new TsdbtError('boom', { code: 'compiler-error', location: { file: 'macros/m.sql', line: 2 } });
    through.calledFrom.push({ file: 'models/delta.sql', line: 3 }, { file: 'models/delta.sql', line: 3 });
    expect(through.callChain()).toBe('models/delta.sql:3 -> macros/m.sql:2');
  });

  it('reports a JavaScript error as a tsdbt bug, with its stack only under --debug', () => {
    const bug = new TypeError("Cannot read properties of null (reading 'replace')");
    const plain = printed(bug);
    expect(plain[1]).toBe("internal error: TypeError: Cannot read properties of null (reading 'replace')");
    expect(plain.join('\n')).toContain('this is a tsdbt bug');
    expect(plain.join('\n')).not.toContain('error-output.test.ts');
    const debug = printed(bug, true);
    expect(debug.join('\n')).toContain('this is a tsdbt bug');
    expect(debug.join('\n')).toContain('error-output.test.ts');
  });

  it('a JavaScript TypeError thrown by a function a template calls becomes an internal error at the template line', () => {
    const env = new JinjaEnvironment();
    const context = {
      broken: () => {
        throw new TypeError('x.slice is not a function');
      },
    };
    let caught: unknown;
    try {
      env.render(env.compile({ path: 'models/m.sql', source: 'select 1\n{{ broken() }}' }), context);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TsdbtError);
    const lines = printed((caught as TsdbtError).inNode({ resourceType: 'model', name: 'm', file: 'models/m.sql' }));
    expect(lines.slice(1, 3)).toEqual(['models/m.sql:2: internal error: TypeError: x.slice is not a function', '  in model m (models/m.sql)']);
    expect(lines.join('\n')).toContain('this is a tsdbt bug');
  });

  // dbt-common's DbtRuntimeError.__str__: `<type> Error[ in <node>]`, then the message indented;
  // dbt-core's MISSING_DBT_PROJECT_ERROR is a DbtProjectError, whose type stays Runtime.
  it("heads each error with dbt's type of error, the message indented below it", () => {
    const missing = new TsdbtError('No dbt_project.yml found at expected path /p/dbt_project.yml\nVerify that each entry within packages.yml (and their transitive dependencies) contains a file named dbt_project.yml', {
      code: 'project-missing',
      hint: 'run tsdbt from your dbt project folder',
    });
    expect(printed(missing)).toEqual([
      'Encountered an error:',
      'Runtime Error',
      '  No dbt_project.yml found at expected path /p/dbt_project.yml',
      '  Verify that each entry within packages.yml (and their transitive dependencies) contains a file named dbt_project.yml',
      '    hint: run tsdbt from your dbt project folder',
    ]);
    const header = (err: TsdbtError) => printed(err)[1];
    expect(header(new TsdbtError('bad', { code: 'schema-invalid', location: { file: 'models/schema.yml', line: 3 } }))).toBe('Parsing Error');
    expect(header(new TsdbtError("Env var required but not provided: 'X'", { code: 'env-var-missing' }))).toBe('Parsing Error');
    expect(header(new TsdbtError('bad yaml', { code: 'yaml-invalid', location: { file: 'models/schema.yml' } }))).toBe('Parsing Error');
    expect(header(new TsdbtError('bad yaml', { code: 'yaml-invalid', location: { file: 'dbt_project.yml' } }))).toBe('Runtime Error');
    expect(header(new TsdbtError("Model 'model.p.a' depends on a node named 'b' which was not found", { code: 'ref-not-found' }))).toBe('Compilation Error');
    expect(header(new TsdbtError('relation "x" does not exist', { code: 'database-error', category: 'database' }))).toBe('Database Error');
    expect(header(new TsdbtError("Could not find profile named 'test'", { code: 'profile-missing' }))).toBe('Runtime Error');
    // A Python RuntimeError in dbt (linker.py's cycle) and click's usage errors have no header.
    expect(header(new TsdbtError('Found a cycle: model.p.a --> model.p.b', { code: 'dependency-cycle' }))).toBe('Found a cycle: model.p.a --> model.p.b');
  });

  it('JSON lines carry the node, the call chain and whether it is internal', () => {
    const lines: string[] = [];
    reportFatal(raisedIn('alpha', 2), (line) => lines.push(line), 'json');
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      info: { name: 'MainEncounteredError', code: 'Z002', level: 'error' },
      data: { code: 'compiler-error', file: 'macros/guard.sql', line: 2, node: { resource_type: 'model', name: 'alpha' }, called_from: ['models/alpha.sql:2'] },
    });
    // dbt's MainEncounteredError: `exc` is str(exception), its header and the message indented.
    const line = JSON.parse(lines[0] as string) as { info: { msg: string }; data: { exc: string } };
    expect(line.data.exc).toBe('Compilation Error in model alpha (models/alpha.sql)\n  guarded() refuses amount');
    expect(line.info.msg).toBe(`Encountered an error:\n${line.data.exc}`);
  });
});
