// dbt-clickhouse's `adapter.s3source_clause(...)` (impl.py), which its `clickhouse_s3source`
// macro calls to read files from S3 in a model: `select * from {{ clickhouse_s3source('taxi_s3',
// path='/trips.gz') }}`. Each setting is the macro's argument, else the named S3 configuration's
// (the model's config of that name over the project var of that name); the answer is ClickHouse's
// `s3(url[, key id, secret], format[, structure][, compression][, extra_credentials(...)])` call.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { TemplateMember } from '../sql-builders.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));

/** The `, '<structure>'` part: a mapping of column -> type, a list of `name type`, or the text as written. */
function structurePart(structure: unknown): string {
  if (structure && typeof structure === 'object' && !Array.isArray(structure)) {
    return `, '${Object.entries(structure as Record<string, unknown>).map(([name, type]) => `${name} ${text(type)}`).join(',')}'`;
  }
  if (Array.isArray(structure)) return `, '${structure.map(text).join(',')}'`;
  return structure ? `,'${text(structure)}'` : '';
}

/** The `https://` URL of a bucket and a path, joined with one slash between them. */
function s3Url(bucketSetting: string, pathSetting: string): string {
  let url = bucketSetting.replace('https://', '');
  if (pathSetting) {
    const path = bucketSetting && !bucketSetting.endsWith('/') && !bucketSetting.startsWith('/') ? `/${pathSetting}` : pathSetting;
    url = `${url}${path}`.replaceAll('//', '/');
  }
  return `https://${url}`;
}

const argsError = (message: string, hint: string) => new TsdbtError(message, { code: 'adapter-args', hint });

/** dbt-clickhouse's s3source_clause, with its checks (a key id needs its secret, an external id a role). */
export function s3SourceClause(a: Record<string, unknown>): string {
  const model = a.s3_model_config && typeof a.s3_model_config === 'object' ? (a.s3_model_config as Record<string, unknown>) : {};
  const setting = (name: string) => text(a[name]) || text(model[name]);
  let struct = structurePart(a.structure || model.structure || '');
  const url = s3Url(setting('bucket'), setting('path'));
  const keyId = setting('aws_access_key_id');
  const secret = setting('aws_secret_access_key');
  if (keyId && !secret) throw argsError('S3 aws_access_key_id specified without aws_secret_access_key', 'give aws_secret_access_key too (in the S3 configuration or the clickhouse_s3source call)');
  if (secret && !keyId) throw argsError('S3 aws_secret_access_key specified without aws_access_key_id', 'give aws_access_key_id too (in the S3 configuration or the clickhouse_s3source call)');
  const access = keyId ? `, '${keyId}', '${secret}'` : '';
  let compression = setting('compression');
  if (compression) {
    if (!struct) struct = ", ''";
    compression = `, '${compression}'`;
  }
  const roleArn = setting('role_arn');
  const externalId = setting('external_id');
  if (externalId && !roleArn) throw argsError('S3 external_id specified without role_arn', 'give role_arn too (in the S3 configuration or the clickhouse_s3source call)');
  const credentials = roleArn ? `, extra_credentials(role_arn='${roleArn}'${externalId ? `, external_id='${externalId}'` : ''})` : '';
  return `s3('${url}'${access}, '${setting('fmt')}'${struct}${compression}${credentials})`;
}

export const s3SourceMember: TemplateMember = {
  params: ['config_name', 's3_model_config', 'bucket', 'path', 'fmt', 'structure', 'aws_access_key_id', 'aws_secret_access_key', 'role_arn', 'compression', 'external_id'],
  call: s3SourceClause,
};
