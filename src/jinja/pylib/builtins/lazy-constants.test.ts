// `modules.datetime`'s and `modules.pytz`'s constants are made when a template first reads them:
// while a process has made no Python value, partial_parse.bin writes its nodes without looking for
// such values (app/parse-cache-values.ts), and every render session makes `modules`.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../engine/index.js';
import { pythonValuesMade } from '../../engine/values.js';
import { PyDate, PyDatetime, PyTime, PyTimedelta } from '../datetime/index.js';
import { pythonModules } from './builtins.js';

const env = new JinjaEnvironment();

describe('the modules\' Python constants', () => {
  it('are not made with the modules, and are made (once, then the same value) when read', () => {
    const before = pythonValuesMade.count;
    const modules = pythonModules(() => new Date(Date.UTC(2024, 0, 15)));
    expect(pythonValuesMade.count).toBe(before);
    const { datetime, date, time, timedelta } = modules.datetime;
    expect(datetime.min).toBeInstanceOf(PyDatetime);
    expect(pythonValuesMade.count).toBeGreaterThan(before);
    expect(datetime.min).toBe(datetime.min);
    expect([date.max, time.max, timedelta.resolution, modules.pytz.HOUR].map((v) => v?.constructor)).toEqual([PyDate, PyTime, PyTimedelta, PyTimedelta]);
  });

  it('render as before, and keep their place among the members', () => {
    const modules = pythonModules(() => new Date(Date.UTC(2024, 0, 15)));
    const render = (template: string) => env.renderString(template, { modules });
    expect(render('{{ modules.datetime.datetime.min }}|{{ modules.datetime.date.max }}|{{ modules.datetime.time.max }}')).toBe('0001-01-01 00:00:00|9999-12-31|23:59:59.999999');
    expect(render('{{ modules.datetime.timedelta.max }}|{{ modules.datetime.timedelta.resolution }}|{{ modules.pytz.HOUR }}')).toBe('999999999 days, 23:59:59.999999|0:00:00.000001|1:00:00');
    expect(Object.keys(modules.datetime.date).slice(-3)).toEqual(['min', 'max', 'resolution']);
    expect(Object.keys(modules.pytz).slice(-2)).toEqual(['ZERO', 'HOUR']);
  });
});
