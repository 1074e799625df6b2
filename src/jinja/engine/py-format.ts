// Python string formatting: printf-style `'%s-%05.2f' % (a, b)` and `str.format()` with
// `{}`, `{0}`, `{name}`, `{0.attr}`, `{x[0]}`, conversions and the format-spec mini-language.
import { pyRepr, pyStr } from './py-repr.js';
import { PyFloat, Undef, isFloat, isPlainObject, isTuple, numberOf, renderError, typeName } from './values.js';

function toNumber(v: unknown, spec: string): number {
  const n = numberOf(v);
  if (n === undefined) {
    throw renderError(`%${spec} format: a real number is required, not ${typeName(v)}`);
  }
  return n;
}

function applyWidth(body: string, sign: string, width: number, left: boolean, zero: boolean): string {
  const len = sign.length + body.length;
  if (len >= width) return sign + body;
  if (left) return (sign + body).padEnd(width);
  if (zero) return sign + body.padStart(width - sign.length, '0');
  return (sign + body).padStart(width);
}

function expRepr(n: number, prec: number): string {
  return n.toExponential(prec).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python `fmt % args`. */
export function percentFormat(fmt: string, args: unknown): string {
  const positional = isTuple(args) ? (args as unknown[]) : [args];
  const mapping = isPlainObject(args) ? args : null;
  let idx = 0;
  const re = /%(\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g;
  const out = fmt.replace(re, (_m, _p, key: string | undefined, flags: string, w?: string, p?: string, conv?: string) => {
    if (conv === '%') return '%';
    const next = (): unknown => {
      if (idx >= positional.length) throw renderError('not enough arguments for format string');
      return positional[idx++];
    };
    const width = w === '*' ? Number(next()) : w ? Number(w) : 0;
    const precArg = p === '*' ? Number(next()) : p !== undefined ? Number(p) : undefined;
    const value = key !== undefined ? mapping?.[key] : next();
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    let sign = '';
    let body: string;
    const numSign = (n: number): number => {
      if (n < 0 || Object.is(n, -0)) sign = '-';
      else if (flags.includes('+')) sign = '+';
      else if (flags.includes(' ')) sign = ' ';
      return Math.abs(n);
    };
    switch (conv) {
      case 's':
      case 'r':
      case 'a': {
        body = conv === 's' ? pyStr(value) : pyRepr(value);
        if (precArg !== undefined) body = body.slice(0, precArg);
        return applyWidth(body, '', width, left, false);
      }
      case 'd':
      case 'i':
      case 'u':
        body = String(Math.trunc(numSign(toNumber(value, conv))));
        break;
      case 'x':
      case 'X':
      case 'o': {
        const n = Math.trunc(numSign(toNumber(value, conv)));
        body = n.toString(conv === 'o' ? 8 : 16);
        if (conv === 'X') body = body.toUpperCase();
        break;
      }
      case 'e':
      case 'E':
        body = expRepr(numSign(toNumber(value, conv)), precArg ?? 6);
        if (conv === 'E') body = body.toUpperCase();
        break;
      case 'g':
      case 'G':
        body = String(Number(numSign(toNumber(value, conv)).toPrecision(precArg || 6)));
        break;
      case 'c':
        body = typeof value === 'string' ? value : String.fromCodePoint(toNumber(value, conv));
        break;
      default:
        body = numSign(toNumber(value, conv ?? 'f')).toFixed(precArg ?? 6);
    }
    return applyWidth(body, sign, width, left, zero);
  });
  if (mapping === null && idx < positional.length) {
    throw renderError('not all arguments converted during string formatting');
  }
  return out;
}

/** Applies a Python format spec (`>10`, `.2f`, `,`, `08.3f`, `%`...) to a value. */
export function formatSpec(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  const m = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw renderError(`Invalid format specifier '${spec}'`);
  const [, fillCh, alignCh, signCh, , zeroCh, widthS, group, precS, type] = m;
  const width = widthS ? Number(widthS) : 0;
  const prec = precS !== undefined ? Number(precS) : undefined;
  let fill = fillCh ?? ' ';
  let align = alignCh;
  const n = numberOf(value);
  const isNum = n !== undefined && typeof value !== 'string';
  let body: string;
  let sign = '';
  if (!isNum || type === 's') {
    if (type && type !== 's') throw renderError(`Unknown format code '${type}' for object of type '${typeName(value)}'`);
    body = pyStr(value);
    if (prec !== undefined) body = body.slice(0, prec);
    align ??= '<';
  } else {
    let x = n;
    if (x < 0) {
      sign = '-';
      x = -x;
    } else if (signCh === '+') sign = '+';
    else if (signCh === ' ') sign = ' ';
    const t = type ?? (isFloat(value) ? '' : 'd');
    switch (t) {
      case 'd':
      case 'n':
        body = String(Math.trunc(x));
        break;
      case 'x':
      case 'X':
      case 'o':
      case 'b':
        body = Math.trunc(x).toString(t === 'o' ? 8 : t === 'b' ? 2 : 16);
        if (t === 'X') body = body.toUpperCase();
        break;
      case 'e':
      case 'E':
        body = expRepr(x, prec ?? 6);
        if (t === 'E') body = body.toUpperCase();
        break;
      case '%':
        body = `${(x * 100).toFixed(prec ?? 6)}%`;
        break;
      case 'g':
      case 'G':
        body = String(Number(x.toPrecision(prec || 6)));
        break;
      case '':
        body = prec !== undefined ? String(Number(x.toPrecision(prec))) : pyStr(value instanceof PyFloat ? value : x);
        break;
      default:
        body = x.toFixed(prec ?? 6);
    }
    if (group) {
      const [intPart, frac] = body.split('.') as [string, string | undefined];
      body = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (frac !== undefined ? `.${frac}` : '');
    }
    if (zeroCh && !alignCh) {
      fill = '0';
      align = '=';
    }
    align ??= '>';
  }
  const total = sign.length + body.length;
  if (total >= width) return sign + body;
  const pad = width - total;
  switch (align) {
    case '<':
      return sign + body + fill.repeat(pad);
    case '^':
      return fill.repeat(Math.floor(pad / 2)) + sign + body + fill.repeat(pad - Math.floor(pad / 2));
    case '=':
      return sign + fill.repeat(pad) + body;
    default:
      return fill.repeat(pad) + sign + body;
  }
}

function resolveField(field: string, args: unknown[], kwargs: Record<string, unknown>, auto: { i: number }): unknown {
  const m = /^([^.[]*)(.*)$/.exec(field) as RegExpExecArray;
  const head = m[1] as string;
  let value: unknown;
  if (head === '') value = args[auto.i++];
  else if (/^\d+$/.test(head)) value = args[Number(head)];
  else value = kwargs[head];
  if (value === undefined) {
    throw renderError(head === '' || /^\d+$/.test(head) ? 'Replacement index out of range for positional args tuple' : `KeyError: '${head}'`);
  }
  const rest = m[2] as string;
  const part = /\.(\w+)|\[([^\]]+)\]/g;
  let p: RegExpExecArray | null;
  while ((p = part.exec(rest))) {
    const key = p[1] ?? p[2] ?? '';
    value = (value as Record<string, unknown>)[/^\d+$/.test(key) && Array.isArray(value) ? Number(key) : key];
  }
  return value;
}

/** Python `str.format(*args, **kwargs)`. */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  const auto = { i: 0 };
  return fmt.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, inner: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/.exec(inner ?? '') as RegExpExecArray;
    let value = resolveField(m[1] as string, args, kwargs, auto);
    if (value instanceof Undef) value = '';
    if (m[2] === 'r' || m[2] === 'a') value = pyRepr(value);
    else if (m[2] === 's') value = pyStr(value);
    return formatSpec(value, m[3] ?? '');
  });
}
