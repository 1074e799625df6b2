// dbt's string enums (dbt_common's StrEnum: `result.status`, `node.resource_type`) as templates
// see them: a `str` everywhere, with `.value` and `.name`. The expected text is what Jinja2 3.1
// renders for a `class StrEnum(str, Enum)` with dbt's `__str__` (Python 3.11).
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, defineStrEnum, PyStrEnum, pyJson } from './index.js';

const RunStatus = defineStrEnum('RunStatus', { Success: 'success', Error: 'error', PartialSuccess: 'partial success' });
const { Success: s, Error: e, PartialSuccess: p } = RunStatus.members;

describe('string enum members', () => {
  const env = new JinjaEnvironment();
  const context = () => ({ s, e, p, results: [{ status: e, n: 1 }, { status: s, n: 2 }] });

  it.each([
    ["{{ s }}|{{ s.value }}|{{ s.name }}|{{ p.name }}|{{ p.value }}|{{ p }}", "success|success|Success|PartialSuccess|partial success|partial success"],
    ["{{ s == 'success' }} {{ 'success' == s }} {{ s != 'error' }} {{ s in ['error', 'success'] }} {{ s in ('fail',) }} {{ 'succ' in s }} {{ s in 'success,error' }}", "True True True True False True True"],
    ["{{ 'x' ~ s ~ 'y' }} {{ s + '!' }} {{ '!' + s }} {{ s * 2 }} {{ '%s-%r' % (s, 'a') }} {{ '{}'.format(s) }}", "xsuccessy success! !success successsuccess success-'a' success"],
    ["{{ s | upper }} {{ s | string }} {{ s | replace('ss', 'SS') }} {{ s | length }} {{ s | list }} {{ s | title }} {{ s | default('x') }} {{ s | attr('value') }}", "SUCCESS success succeSS 7 ['s', 'u', 'c', 'c', 'e', 's', 's'] Success success success"],
    ["{{ s.upper() }} {{ s.startswith('suc') }} {{ s.split('c') }} {{ s[0] }} {{ s[1:3] }} {{ s.value.upper() }}", "SUCCESS True ['su', '', 'ess'] s uc SUCCESS"],
    ["{{ s is string }} {{ s is defined }} {{ s is none }} {{ s is sameas s }} {{ s is in ['success'] }} {{ s is equalto 'success' }}", "True True False True True True"],
    ["{{ s | tojson }} {{ [s, e] | tojson }} {{ {'k': s} | tojson }} {{ {s: 1} | tojson }}", "\"success\" [\"success\", \"error\"] {\"k\": \"success\"} {\"success\": 1}"],
    ["{{ [s, e] }} {{ {'k': s} }} {% if s %}T{% endif %} {{ [e, s, p] | sort }} {{ [e, s] | join(',') }}", "[<RunStatus.Success: 'success'>, <RunStatus.Error: 'error'>] {'k': <RunStatus.Success: 'success'>} T [<RunStatus.Error: 'error'>, <RunStatus.PartialSuccess: 'partial success'>, <RunStatus.Success: 'success'>] error,success"],
    ["{% set d = {s: 1} %}{{ d['success'] }} {{ d[s] }} {{ {'success': 2}[s] }} {{ d.keys() | list }}", "1 1 2 [<RunStatus.Success: 'success'>]"],
    ["{{ results | selectattr('status', 'equalto', 'error') | map(attribute='n') | list }} {{ results | map(attribute='status') | join('|') }} {{ results | sort(attribute='status') | map(attribute='n') | list }} {{ results | map(attribute='status') | map('upper') | list }}", "[1] error|success [1, 2] ['ERROR', 'SUCCESS']"],
    ["{% for c in s %}{{ c }}.{% endfor %} {{ s < 't' }} {{ 'a' < s }} {{ s.value is string }} {{ s.name == 'Success' }}", "s.u.c.c.e.s.s. True True True True"],
    ["{{ results | groupby('status') | map(attribute='grouper') | list }} {{ results | map(attribute='status') | unique | list }}", "[<RunStatus.Error: 'error'>, <RunStatus.Success: 'success'>] [<RunStatus.Error: 'error'>, <RunStatus.Success: 'success'>]"],
  ])('%s', (template, expected) => {
    expect(env.renderString(template, context())).toBe(expected);
  });

  it('reach JavaScript callees as their string, and serialize as it', () => {
    const seen: unknown[] = [];
    env.renderString('{{ f(s, k=e) }}', { s, e, f: (...a: unknown[]) => seen.push(...a) });
    expect(seen).toEqual(['success', { k: 'error', __keywords: true }]);
    expect(pyJson({ status: s, list: [e] })).toBe('{"status": "success", "list": ["error"]}');
    expect(JSON.stringify({ status: s })).toBe('{"status":"success"}');
  });

  it('are one member per value, of a class named as the enum', () => {
    expect(RunStatus.of('success')).toBe(s);
    expect(RunStatus.of('pass')).toBeUndefined();
    expect(s).toBeInstanceOf(PyStrEnum);
    expect(s.constructor.name).toBe('RunStatus');
  });
});
