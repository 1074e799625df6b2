// dbt-adapters' BaseRelation members relation-members.ts adds, read from a template as dbt's would be.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../jinja/engine/index.js';
import { PostgresSqlBuilders } from './postgres/postgres-sql.js';
import { LimitedRelation, Relation } from './relation.js';
import { apiRelation } from '../jinja/dbt/api-relation.js';

const env = new JinjaEnvironment();

describe("BaseRelation's remaining members", () => {
  it('fields, class members and helpers, as dbt-adapters defines them', () => {
    const relation = new Relation({ database: 'db', schema: 's', identifier: 't', type: 'table' }, new PostgresSqlBuilders());
    const template = [
      '{{ this.dbt_created }} {{ this.require_alias }} {{ this.catalog }} {{ this.is_pointer }} {{ this.PointerTable }}',
      '{{ this.get_relation_type.Table }} {{ this.get_relation_type.MaterializedView }} {{ this.get_relation_type.Ephemeral }}',
      "{{ this.get_default_quote_policy() }} {{ this.get_default_include_policy()['database'] }}",
      "{{ this.quoted('My Col') }} {{ this.add_ephemeral_prefix('orders') }}",
      "{{ this.scd_args('id', 'updated_at') }} {{ this.scd_args(primary_key=['a', 'b'], updated_at='u') }}",
    ].join('|');
    expect(env.renderString(template, { this: relation })).toBe(
      [
        'False True None False pointer_table',
        'table materialized_view ephemeral',
        "{'database': True, 'schema': True, 'identifier': True} True",
        '"My Col" __dbt__cte__orders',
        "['id', 'updated_at'] ['a', 'b', 'u']",
      ].join('|'),
    );
  });

  // dbt's Policy.get_part(key); api.Relation is the adapter's Relation class, whose class methods
  // a template calls without a relation (Elementary: api.Relation.get_default_quote_policy().get_part("identifier")).
  it('gives policies get_part, and api.Relation the class methods', () => {
    const create = () => new Relation({ database: null, schema: null, identifier: '', type: null }, new PostgresSqlBuilders());
    const api = { Relation: apiRelation(create) };
    const template = [
      "{{ api.Relation.get_default_quote_policy().get_part('identifier') }} {{ api.Relation.get_default_include_policy().get_part('schema') }}",
      "{{ api.Relation.add_ephemeral_prefix('x') }} {{ api.Relation.get_relation_type.View }} {{ api.Relation.get_default_quote_policy() }}",
    ].join('|');
    expect(env.renderString(template, { api })).toBe("True True|__dbt__cte__x view {'database': True, 'schema': True, 'identifier': True}");
  });

  // dbt-adapters' BaseRelation: __str__ wraps a limited (--empty) relation in its subquery, render() is the name alone.
  it("render() is the relation's name and str() its subquery, on a limited relation", () => {
    const relation = new LimitedRelation(new Relation({ database: 'db', schema: 's', identifier: 't', type: 'table' }, new PostgresSqlBuilders()), 0);
    expect(env.renderString('{{ r }}|{{ r.render() }}|{{ r.limit }}', { r: relation })).toBe('(select * from "db"."s"."t" where false limit 0) _dbt_limit_subq_t|"db"."s"."t"|0');
    const nested = new LimitedRelation(relation, 5);
    expect(env.renderString('{{ r }}|{{ r.render() }}', { r: nested })).toBe('(select * from (select * from "db"."s"."t" where false limit 0) _dbt_limit_subq_t limit 5) _dbt_limit_subq_t|"db"."s"."t"');
  });
});
