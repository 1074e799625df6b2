// A unit test's compile: its model rendered with each `given` input replaced by a fixture CTE (and
// the test's var / env var / macro overrides), its `format: sql` fixtures rendered in its context,
// and dbt's errors for an input the project lacks or a parent no input replaces.
import type { Relation } from '../adapters/relation.js';
import { sourceRelation } from '../adapters/source-relation.js';
import type { SqlBuilders } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Manifest, ManifestNode, RefCall, UnitTestInput } from '../manifest/types.js';
import type { RefResolution } from './compile-types.js';
import { injectCtes } from './cte-injection.js';
import type { ExecutePhase } from './execute-phase.js';
import type { InputRelations } from './input-relations.js';
import { dbtRenderedText, readStripped } from './rendered-text.js';

export interface UnitTestInputRelation {
  id: string;
  name: string;
  relation: Relation | null;
  cte: string;
}

export class UnitTestCompile {
  /** Parents replaced by fixture CTEs while one renders (renders are synchronous). */
  private fixtures: Map<string, Relation> | null = null;
  /** The unit test whose model renders while `fixtures` is set. */
  private fixturesOf: ManifestNode | null = null;

  constructor(
    private readonly manifest: Manifest,
    private readonly refs: RefResolution,
    private readonly inputs: InputRelations,
    private readonly dialect: SqlBuilders,
    private readonly phase: () => ExecutePhase,
  ) {}

  /** The fixture that replaces `id` while a unit test's model renders. */
  fixture(id: string): Relation | undefined {
    return this.fixtures?.get(id);
  }

  /** Whether a unit test's model is rendering (its parents are then fixtures or missing inputs). */
  get rendering(): boolean {
    return this.fixtures !== null;
  }

  /**
   * A parent of a unit test's model that no `given` input replaces: dbt compiles the model against
   * a manifest of the test's inputs alone, where the ref finds nothing (TargetNotFoundError), and
   * fails the test, not the parse.
   */
  missingInput(target: string, input: string): TsdbtError {
    const test = this.fixturesOf;
    return new TsdbtError(`Unit_Test '${test?.unique_id ?? ''}' (${test?.original_file_path ?? ''}) depends on a ${target}which was not found`, {
      code: 'unit-test-input-missing',
      ...(test ? { location: { file: test.original_file_path, ...(test.line !== undefined ? { line: test.line } : {}) } } : {}),
      hint: `add \`- input: ${input}\` with the rows the test needs (\`rows: []\` for none) under the unit test's given:`,
    });
  }

  /** The model a unit test tests. */
  model(node: ManifestNode): ManifestNode {
    const model = this.manifest.nodes[node.depends_on.nodes[0] ?? ''];
    if (!model || !node.unit_test) throw new TsdbtError(`unit test ${node.name} has no model`, { code: 'internal', category: 'internal' });
    return model;
  }

  /**
   * Each `given` input of a unit test with the relation it replaces (null for an ephemeral parent,
   * which has none) and the CTE name its fixture gets.
   */
  inputsOf(node: ManifestNode): UnitTestInputRelation[] {
    const model = this.model(node);
    return (node.unit_test?.given ?? []).map((input) => {
      if (input.isThis) return { id: 'this', name: model.name, relation: this.inputs.relationOf(model), cte: '__dbt__cte__this' };
      if (input.ref) {
        const parent = this.inputNode(node, input, () => this.refs.resolveRef(input.ref as RefCall, model));
        // The relation whose columns type the fixture: under --defer, the state's where this target lacks it (dbt's get_fixture_sql).
        return { id: parent.unique_id, name: parent.name, relation: parent.config.materialized === 'ephemeral' ? null : this.inputs.refRelationOf(parent), cte: `__dbt__cte__${parent.name}` };
      }
      const [s, t] = input.source ?? ['', ''];
      const src = this.inputNode(node, input, () => this.refs.resolveSource(s, t, model));
      return { id: src.unique_id, name: src.name, relation: sourceRelation(src, this.dialect), cte: `__dbt__cte__${s}_${t}` };
    });
  }

  /** A unit test input's node, or dbt's error for one the project lacks (raised when the test runs, as dbt 1.8+ does). */
  private inputNode<T>(node: ManifestNode, input: UnitTestInput, resolve: () => T): T {
    try {
      return resolve();
    } catch (err) {
      if (!(err instanceof TsdbtError) || err.category !== 'user') throw err;
      throw new TsdbtError(`Unit test '${node.name}' had an input (${input.input}) which was not found in the manifest.`, {
        code: 'unit-test-input',
        location: { file: node.original_file_path, ...(node.line !== undefined ? { line: node.line } : {}) },
        hint: `${err.message}; name a model, seed, snapshot or source of the project`,
      });
    }
  }

  /**
   * A unit test's model SQL: its inputs read fixture CTEs (`fixtureSql`, in `given` order), with
   * the test's var / env var / macro overrides; `is_incremental()` is false unless overridden.
   */
  compile(node: ManifestNode, fixtureSql: string[], options: { incremental?: boolean } = {}): string {
    const model = this.model(node);
    const spec = node.unit_test as NonNullable<ManifestNode['unit_test']>;
    const inputs = this.inputsOf(node);
    this.fixtures = new Map(inputs.map((i) => [i.id, this.inputs.cte(i.cte)]));
    this.fixturesOf = node;
    let body: string;
    try {
      const { sql } = this.phase().render(model, {
        refs: [],
        sources: [],
        configCalls: [],
        thisRelation: this.fixtures.get('this') ?? this.inputs.relationOf(model),
        incremental: options.incremental ?? spec.overrides.macros.is_incremental === true,
        overrides: options.incremental === undefined ? spec.overrides : { ...spec.overrides, macros: { ...spec.overrides.macros, is_incremental: options.incremental } },
      });
      body = dbtRenderedText(model.raw_code, sql, model.line, readStripped(model));
    } finally {
      this.fixtures = null;
      this.fixturesOf = null;
    }
    const ctes = inputs.map((input, i) => ({ name: input.cte, sql: fixtureSql[i] ?? '' }));
    return injectCtes(body, ctes);
  }

  /**
   * A `format: sql` fixture of a unit test, rendered in the test's context with its overrides (dbt
   * compiles such fixtures as nodes: `{{ target.type }}`, macros and vars work in them).
   */
  renderSql(node: ManifestNode, sql: string): string {
    const spec = node.unit_test as NonNullable<ManifestNode['unit_test']>;
    return this.phase().render(node, { refs: [], sources: [], configCalls: [], overrides: spec.overrides }, sql).sql;
  }
}
