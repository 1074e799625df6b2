// Exposures, groups, semantic models, metrics and saved queries from property files, in dbt's
// manifest shape (unique_id `exposure.<package>.<name>`..., fqn, depends_on): what the docs site
// shows and manifest.json lists under dbt's sections of the same names. tsdbt runs none of them,
// so they stay out of the DAG that commands build from; an exposure's dependency that does not
// resolve is a warning (dbt fails the parse), so a project tsdbt parsed before still parses, but a
// metric's measure or input metric and a saved query's metric that resolve to nothing fail the
// parse, as dbt's process_metrics does (MetricFlow could not read the semantic manifest). A
// measure with `create_metric: true` makes a simple metric of its name, as dbt's parser does.
import { mergeConfigs, resolveHierarchyConfig } from '../config/index.js';
import { isPlainObject } from '../config/yaml-file.js';
import type { DeclaredEntry, SchemaFile } from '../project/types.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { RefIndex } from './ref-index.js';
import { MetricLinker } from './metric-links.js';
import { metricInputMeasures, metricTypeParams, whereFilter } from './metric-type-params.js';
import { enabledError, enabledFlag } from './node-config-checks.js';
import { exposureNameWarning, semanticEntryError } from './semantic-entries.js';
import type { DeclaredResource, DeclaredResourceType, Manifest, ManifestNode, RefCall } from '../manifest/types.js';
import { nodeRelation } from '../manifest/node-relation.js';
import type { TargetNames } from './node-naming.js';
import { dbtResourceFields, ELEMENT_FIELDS, pickFields, pythonStr } from './declared-json-fields.js';

const KIND: Record<DeclaredEntry['section'], DeclaredResourceType> = {
  exposures: 'exposure',
  groups: 'group',
  semantic_models: 'semantic_model',
  metrics: 'metric',
  saved_queries: 'saved_query',
};

/** The properties every kind shares, read into DeclaredResource's own fields; the rest are `properties`. */
const COMMON = new Set(['name', 'description', 'label', 'tags', 'meta', 'config']);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const record = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/** `ref('m')`, `ref('pkg', 'm')`, `ref('m', v=2)`, `source('s', 't')`, `metric('m')` as written in YAML. */
export function parseDependency(written: string): { ref: RefCall } | { source: [string, string] } | { metric: string } | null {
  const call = /^\s*(ref|source|metric)\s*\((.*)\)\s*$/s.exec(written);
  if (!call) return null;
  const args: string[] = [];
  let version: string | number | null = null;
  for (const part of (call[2] as string).split(',')) {
    const named = /^\s*(?:v|version)\s*=\s*(?:['"]([^'"]*)['"]|(\d+(?:\.\d+)?))\s*$/.exec(part);
    if (named) {
      version = named[1] ?? Number(named[2]);
      continue;
    }
    const quoted = /^\s*['"]([^'"]*)['"]\s*$/.exec(part);
    if (!quoted) return null;
    args.push(quoted[1] as string);
  }
  if (call[1] === 'source') return args.length === 2 ? { source: [args[0] as string, args[1] as string] } : null;
  if (call[1] === 'metric') return args.length === 1 ? { metric: args[0] as string } : null;
  if (args.length === 1) return { ref: { name: args[0] as string, package: null, version } };
  if (args.length === 2) return { ref: { name: args[1] as string, package: args[0], version } };
  return null;
}

/** Parses every declared resource of the property files and links what it depends on. */
export function addDeclaredResources(
  manifest: Manifest,
  propertyFiles: { packageName: string; schemaFile: SchemaFile }[],
  refs: RefIndex,
  projectTree: (packageName: string, kind: DeclaredResourceType) => Record<string, unknown> | undefined = () => undefined,
  fail: (err: TsdbtError) => void = (err) => {
    throw err;
  },
  target?: TargetNames,
  ownTree: (packageName: string, kind: DeclaredResourceType) => Record<string, unknown> | undefined = () => undefined,
): void {
  const declared: Record<string, DeclaredResource> = {};
  const pending: { resource: DeclaredResource; entry: Record<string, unknown> }[] = [];
  for (const { packageName, schemaFile } of propertyFiles) {
    const resourceDir = schemaFile.resourceDir ?? schemaFile.path.split('/')[0] ?? '';
    const relative = resourceDir && schemaFile.path.startsWith(`${resourceDir}/`) ? schemaFile.path.slice(resourceDir.length + 1) : schemaFile.path;
    const folders = relative.split('/').slice(0, -1);
    // The file's entries, then the metrics its semantic models' measures create (create_metric).
    const entries = [...(schemaFile.declared ?? [])];
    for (let i = 0; i < entries.length; i++) {
      const { section, entry, location } = entries[i] as DeclaredEntry;
      const entryError = semanticEntryError(entries[i] as DeclaredEntry, schemaFile.path);
      if (entryError) {
        fail(entryError);
        continue;
      }
      const nameWarning = exposureNameWarning(entries[i] as DeclaredEntry);
      if (nameWarning) manifest.warnings.push(nameWarning);
      const kind = KIND[section];
      const name = entry.name as string;
      const fqn = kind === 'group' ? [packageName, name] : [packageName, ...folders, name];
      // dbt_project.yml's tree for the kind (by fqn), then the entry's own config.
      const config = { enabled: true, ...mergeConfigs(resolveHierarchyConfig(projectTree(packageName, kind), fqn, kind), record(entry.config)) } as DeclaredResource['config'];
      config.enabled = enabledFlag(config.enabled) as boolean;
      const badEnabled = enabledError(config.enabled, `${kind} '${name}'`, location);
      if (badEnabled) {
        fail(badEnabled);
        continue;
      }
      const unique_id = `${kind}.${packageName}.${name}`;
      if (config.enabled !== false && declared[unique_id]) {
        // dbt's DuplicateResourceNameError (the manifest's add_exposure, add_metric, ...).
        const first = declared[unique_id];
        fail(
          new TsdbtError(`dbt found two ${kind}s with the name '${name}': ${first.original_file_path}:${first.line} and ${schemaFile.path}:${location.line ?? 1}`, {
            code: 'duplicate-node',
            location,
            hint: `rename or remove one of them (${kind} names must be unique within a package)`,
          }),
        );
        continue;
      }
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(entry)) if (!COMMON.has(key)) properties[key] = value;
      if (kind === 'saved_query' && Array.isArray(properties.exports)) properties.exports = properties.exports.map((e: unknown) => (isPlainObject(e) ? exportJson(e, config, target) : e));
      if (kind === 'semantic_model') entries.push(...createdMetrics(entry, config, location));
      // dbt_project.yml's plain `exposures:` keys of the exposure's own package (ExposureParser's `self.project.exposures`): its tags and meta start there.
      const own = kind === 'exposure' ? ownTree(packageName, kind) : undefined;
      const resource: DeclaredResource = {
        unique_id,
        resource_type: kind,
        package_name: packageName,
        name,
        path: relative,
        original_file_path: schemaFile.path,
        line: location.line ?? 1,
        fqn,
        label: typeof entry.label === 'string' ? entry.label : null,
        description: text(entry.description),
        tags: declaredTags(kind, entry, config, own),
        // An exposure's meta starts from its package's dbt_project.yml `exposures: meta:` (ExposureParser).
        meta: { ...record(own?.meta), ...record(entry.meta), ...record(config.meta) },
        config,
        depends_on: { nodes: [], macros: [] },
        properties,
      };
      // dbt's ExposureParser writes the merged tags and meta back into the exposure's config.
      if (kind === 'exposure') Object.assign(config, { tags: resource.tags, meta: resource.meta });
      // A disabled one is kept for manifest.json's `disabled`, unlinked, as dbt lists it.
      if (config.enabled === false) (manifest.disabledDeclared ??= []).push(resource);
      else {
        declared[unique_id] = resource;
        pending.push({ resource, entry });
      }
    }
  }
  // Links, once every resource is known (a metric may read a semantic model declared in a later file).
  const byName = (kind: DeclaredResourceType, name: string, pkg: string) => declared[`${kind}.${pkg}.${name}`] ?? Object.values(declared).find((d) => d.resource_type === kind && d.name === name);
  const linker = new MetricLinker(declared, manifest.disabledDeclared ?? [], fail);
  for (const { resource, entry } of pending) {
    const nodes = new Set<string>();
    const warn = (what: string) =>
      manifest.warnings.push({ message: `${resource.resource_type} '${resource.name}' depends on ${what}, which was not found`, location: { file: resource.original_file_path, line: resource.line } });
    const from = { unique_id: resource.unique_id, resource_type: resource.resource_type, name: resource.name, package_name: resource.package_name, original_file_path: resource.original_file_path, raw_code: '', line: resource.line, config: resource.config } as unknown as ManifestNode;
    const link = (written: string) => {
      const dependency = parseDependency(written);
      try {
        if (dependency && 'ref' in dependency) nodes.add(refs.resolveRef(dependency.ref, from).unique_id);
        else if (dependency && 'source' in dependency) nodes.add(refs.resolveSource(dependency.source[0], dependency.source[1], from).unique_id);
        else if (dependency && 'metric' in dependency) {
          const metric = byName('metric', dependency.metric, resource.package_name);
          if (metric) nodes.add(metric.unique_id);
          else warn(`metric '${dependency.metric}'`);
        } else warn(`'${written}' (write ref('name'), source('source', 'table') or metric('name'))`);
      } catch (err) {
        // A ref that resolves but may not be read (a private model) fails, as in dbt, and so does a
        // semantic model's model that does not resolve (dbt's TargetNotFoundError: MetricFlow reads
        // its relation); an exposure's that does not resolve warns.
        if (err instanceof TsdbtError && (err.code === 'ref-private' || resource.resource_type === 'semantic_model')) fail(err);
        else warn(`'${written}'`);
      }
    };
    if (resource.resource_type === 'exposure') Object.assign(resource.properties, linkExposure(strings(entry.depends_on), link));
    else if (resource.resource_type === 'semantic_model' && typeof entry.model === 'string') link(entry.model);
    else linker.link(resource, entry, nodes);
    resource.depends_on.nodes = [...nodes];
  }
  const metrics = Object.values(declared).filter((d) => d.resource_type === 'metric');
  const inputMeasures = metricInputMeasures(metrics);
  for (const metric of metrics) metric.inputMeasures = inputMeasures.get(metric.name) ?? [];
  manifest.declared = declared;
}

/**
 * An exposure's `depends_on` calls linked as dbt's ManifestLoader links them (process_sources,
 * then process_refs, then process_metrics: its depends_on.nodes lists sources, then refs, then
 * metrics, each in the order written), and the calls themselves as dbt records them at parse
 * (Exposure's `refs` {name, package, version}, `sources` [source, table], `metrics` [name]).
 */
function linkExposure(written: string[], link: (written: string) => void): { refs: RefCall[]; sources: [string, string][]; metrics: string[][] } {
  const calls = written.map((w) => ({ w, call: parseDependency(w) }));
  const rank = (call: ReturnType<typeof parseDependency>) => (call && 'source' in call ? 0 : call && 'ref' in call ? 1 : 2);
  [...calls].sort((a, b) => rank(a.call) - rank(b.call)).forEach(({ w }) => link(w));
  const refs: RefCall[] = [];
  const sources: [string, string][] = [];
  const metrics: string[][] = [];
  for (const { call } of calls) {
    if (call && 'ref' in call) refs.push({ name: call.ref.name, package: call.ref.package, version: call.ref.version });
    else if (call && 'source' in call) sources.push(call.source);
    else if (call && 'metric' in call) metrics.push([call.metric]);
  }
  return { refs, sources, metrics };
}

/**
 * The metrics a semantic model's measures with `create_metric: true` make (dbt's
 * SemanticModelParser._create_metric): a simple metric of the measure's name, label and
 * description, reading the measure, enabled as the semantic model is, with its meta.
 */
function createdMetrics(entry: Record<string, unknown>, config: DeclaredResource['config'], location: SourceLocation): DeclaredEntry[] {
  const out: DeclaredEntry[] = [];
  for (const measure of Array.isArray(entry.measures) ? entry.measures : []) {
    if (!isPlainObject(measure) || measure.create_metric !== true || typeof measure.name !== 'string') continue;
    const expr = measure.expr === undefined || measure.expr === null || measure.expr === '' ? measure.name : measure.expr;
    const metricConfig: Record<string, unknown> = { enabled: config.enabled };
    if (isPlainObject(config.meta)) metricConfig.meta = config.meta;
    out.push({
      section: 'metrics',
      entry: {
        name: measure.name,
        label: typeof measure.label === 'string' && measure.label ? measure.label : measure.name,
        type: 'simple',
        type_params: { measure: measure.name, expr },
        description: typeof measure.description === 'string' && measure.description ? measure.description : `Metric created from measure ${measure.name}`,
        config: metricConfig,
      },
      location,
    });
  }
  return out;
}

/** The manifest.json section each kind is listed in. */
export const DECLARED_SECTIONS: Record<DeclaredResourceType, 'exposures' | 'groups' | 'semantic_models' | 'metrics' | 'saved_queries'> = {
  exposure: 'exposures',
  group: 'groups',
  semantic_model: 'semantic_models',
  metric: 'metrics',
  saved_query: 'saved_queries',
};

/** Each kind's config as dbt's config class writes it when nothing sets a field (ExposureConfig, MetricConfig, ...). */
const CONFIG_DEFAULTS: Partial<Record<DeclaredResourceType, () => Record<string, unknown>>> = {
  exposure: () => ({ enabled: true, tags: [], meta: {} }),
  metric: () => ({ enabled: true, group: null, meta: {} }),
  semantic_model: () => ({ enabled: true, group: null, meta: {} }),
  saved_query: () => ({ enabled: true, group: null, meta: {}, export_as: null, schema: null, cache: { enabled: false } }),
};

/** The kinds dbt gives a top-level `group`, the config's. */
const GROUPED = new Set<DeclaredResourceType>(['metric', 'semantic_model', 'saved_query']);

/**
 * A declared resource as dbt's manifest.json lists it: its own properties at the top level, its
 * config with every field of dbt's config class, a metric's config meta as its meta (dbt copies
 * it up when set), and a semantic model's meta under each entity's, measure's and dimension's own
 * (dbt's SemanticModelParser: the element's keys win).
 */
export function declaredJson(resource: DeclaredResource, nodes?: Readonly<Record<string, ManifestNode>>): Record<string, unknown> {
  const { properties, line: _line, inputMeasures, ...rest } = resource;
  const config = { ...CONFIG_DEFAULTS[resource.resource_type]?.(), ...resource.config };
  const json: Record<string, unknown> = { ...properties, ...rest, config, unrendered_config: {}, created_at: 0 };
  if (GROUPED.has(resource.resource_type)) json.group = typeof config.group === 'string' ? config.group : null;
  // dbt's Owner (email, name: None unless given), Exposure's maturity and url (None), and a group's
  // description (None) and GroupConfig (meta; `enabled` is no field of it).
  if (isPlainObject(properties.owner)) json.owner = { email: null, name: null, ...properties.owner };
  if (resource.resource_type === 'exposure') Object.assign(json, { maturity: properties.maturity ?? null, url: properties.url ?? null, refs: properties.refs ?? [], sources: properties.sources ?? [], metrics: properties.metrics ?? [] });
  if (resource.resource_type === 'group') {
    const { enabled: _enabled, ...groupConfig } = config;
    Object.assign(json, { description: resource.description === '' ? null : resource.description, config: { ...groupConfig, meta: record(config.meta) } });
  }
  const meta = record(config.meta);
  if (resource.resource_type === 'metric' && Object.keys(meta).length > 0) json.meta = meta;
  if (resource.resource_type === 'metric') Object.assign(json, metricJson(properties, inputMeasures ?? []));
  if (resource.resource_type === 'semantic_model') {
    for (const key of ['entities', 'measures', 'dimensions']) {
      const elements = properties[key];
      if (!Array.isArray(elements)) continue;
      // Each element's fields as dbt's Entity / Measure / Dimension, its `expr` Python's str() of the
      // YAML scalar (dbt's field is a string: `expr: 1` is '1').
      json[key] = elements.map((e: unknown) =>
        isPlainObject(e) ? pickFields({ ...e, ...('expr' in e ? { expr: pythonStr(e.expr) } : {}), config: { ...record(e.config), meta: { ...meta, ...record(record(e.config).meta) } } }, ELEMENT_FIELDS[key as keyof typeof ELEMENT_FIELDS]) : e,
      );
    }
  }
  // dbt parses a saved query's `where:` (a string or a list) into a WhereFilterIntersection, which its
  // manifest.json writes as {where_filters: [{where_sql_template}]} (schema_yaml_readers.py).
  if (resource.resource_type === 'saved_query' && isPlainObject(properties.query_params) && 'where' in properties.query_params) {
    const where = properties.query_params.where;
    const templates = Array.isArray(where) ? where.map(String) : where === null || where === undefined ? null : [String(where)];
    json.query_params = { ...properties.query_params, where: templates && { where_filters: templates.map((where_sql_template) => ({ where_sql_template })) } };
  }
  // A semantic model's node_relation: the relation of the model it reads, which dbt fills in at the
  // end of the parse (ManifestLoader.update_semantic_model).
  if (resource.resource_type === 'semantic_model' && nodes) json.node_relation = nodeRelation(nodes[resource.depends_on.nodes[0] ?? '']);
  return dbtResourceFields(resource.resource_type, json);
}

/**
 * A saved query's export as dbt's parser makes it (SavedQueryParser._get_export and
 * parse_saved_query): its config the saved query's with the export's own over it, laid out as
 * dbt's ExportConfig (export_as, schema_name: `schema_name`, else `schema`, else the target's
 * schema as dbt's default generate_schema_name gives it; alias: the export's name unless set;
 * database: the target's unless set), and the config as written as its unrendered_config.
 */
function exportJson(written: Record<string, unknown>, savedQueryConfig: Record<string, unknown>, target: TargetNames | undefined): Record<string, unknown> {
  const own = record(written.config);
  const combined: Record<string, unknown> = { ...savedQueryConfig, ...own };
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  return {
    ...written,
    config: {
      export_as: combined.export_as ?? null,
      schema_name: text(combined.schema_name) ?? text(combined.schema) ?? target?.schema ?? null,
      alias: text(combined.alias) ?? written.name ?? null,
      database: text(combined.database) ?? target?.database ?? null,
    },
    unrendered_config: own,
  };
}

/**
 * A metric's own fields as dbt's Metric writes them (MetricParser.parse_metric): type_params as
 * its MetricTypeParams, the filter as a where-filter intersection, the enum type lower-case, and the
 * fields it has whatever was written (metadata, time_granularity, sources, refs, metrics).
 */
function metricJson(properties: Record<string, unknown>, inputMeasures: Record<string, unknown>[]): Record<string, unknown> {
  const type = typeof properties.type === 'string' ? properties.type.toLowerCase() : (properties.type ?? null);
  return {
    type,
    type_params: metricTypeParams(properties.type_params, typeof type === 'string' ? type : null, inputMeasures),
    filter: whereFilter(properties.filter),
    metadata: null,
    time_granularity: typeof properties.time_granularity === 'string' ? properties.time_granularity : null,
    sources: [],
    refs: [],
    metrics: [],
  };
}

/**
 * The entry's and its config's tags, each once, after `own`'s (an exposure's package's
 * dbt_project.yml `exposures: tags:`); sorted for exposures
 * and saved queries, as dbt's parsers sort them (schema_yaml_readers.py).
 */
function declaredTags(kind: DeclaredResourceType, entry: Record<string, unknown>, config: Record<string, unknown>, own: Record<string, unknown> | undefined): string[] {
  const tags = [...new Set([...strings(own?.tags), ...strings(entry.tags), ...strings(config.tags)])];
  return kind === 'exposure' || kind === 'saved_query' ? tags.sort() : tags;
}
