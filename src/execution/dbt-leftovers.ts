// Relations an interrupted dbt run leaves behind: `<alias>__dbt_tmp` and `<alias>__dbt_backup`.
// dbt's view, table and incremental materializations drop them before building (their
// `preexisting_intermediate_relation` / `preexisting_backup_relation`), so a project moving from
// dbt to tsdbt does not keep them either. The schema is listed once per run, and a drop is sent
// only for a leftover that is there.
import type { Adapter, Connection } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import type { ManifestNode } from '../manifest/types.js';

const SUFFIXES = ['__dbt_tmp', '__dbt_backup'];
/** The materializations whose dbt macros drop the node's leftovers. */
const CLEANS_UP = new Set(['view', 'table', 'incremental']);

export class DbtLeftovers {
  private readonly bySchema = new Map<string, Promise<Map<string, Relation>>>();
  /** The leftovers dropped so far (a cached listing still names them). */
  private readonly dropped = new Set<string>();

  constructor(private readonly adapter: Adapter) {}

  /** Drops the node's `__dbt_tmp` / `__dbt_backup` relations, if any, as dbt would before building it. */
  async dropFor(conn: Connection, node: ManifestNode): Promise<void> {
    if (node.resource_type !== 'model' || !CLEANS_UP.has(String(node.config.materialized))) return;
    // The adapter's own listing when it has one (no query), else the schema listed once here.
    const known = this.adapter.knownRelations?.(node.schema) ?? (await this.listed(conn, node));
    for (const suffix of SUFFIXES) {
      const name = `${node.alias}${suffix}`;
      const type = known.get(name)?.type;
      const key = `${node.database ?? ''}\u0000${node.schema}\u0000${name}`;
      if (!type || this.dropped.has(key)) continue;
      await conn.execute(this.adapter.sql.dropRelation(this.adapter.relation({ database: node.database, schema: node.schema, identifier: name, type }), type), { nodeId: node.unique_id });
      // Only once it is gone: a drop that failed (the node's error) is sent again by the next build.
      this.dropped.add(key);
    }
  }

  private listed(conn: Connection, node: ManifestNode): Promise<Map<string, Relation>> {
    const key = `${node.database ?? ''}\u0000${node.schema}`;
    let listed = this.bySchema.get(key);
    if (!listed) {
      listed = this.adapter.listRelations(conn, node.database, node.schema).then((relations) => new Map(relations.filter((r) => SUFFIXES.some((s) => r.identifier.endsWith(s))).map((r) => [r.identifier, r])));
      this.bySchema.set(key, listed);
      listed.catch(() => this.bySchema.delete(key));
    }
    return listed;
  }
}
