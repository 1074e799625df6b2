// Objects of many keys built as V8 keeps them compact ("fast properties"). An object given its
// keys one by one through computed names (`json[key] = value`) falls into dictionary mode after a
// dozen of them, and JSON.stringify of such an object sorts its keys by insertion on every call:
// manifest.json's 30,000 node objects of the 10,000-model bench were all dictionaries (issue 18).

/** Makes an object of one shape (keys in order) from the values in the same order. */
type Maker = (values: readonly unknown[]) => Record<string, unknown>;

const makers = new Map<string, Maker>();

/**
 * The object with `keys[i]` set to `values[i]`, in that order, as `obj[key] = value` for each in
 * turn would make it (same keys, order and values), but as an object literal of that shape, made
 * once per shape. Keys must be distinct. A shape with a `__proto__` key is built by those
 * assignments themselves (whatever `obj.__proto__ = value` does, it does the same).
 */
export function literalObject(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  for (const shape of recent) if (sameKeys(shape.keys, keys)) return shape.maker(values);
  const signature = keys.join('\0');
  let maker = makers.get(signature);
  if (!maker) {
    maker = keys.includes('__proto__') ? assigning([...keys]) : literal(keys);
    makers.set(signature, maker);
  }
  if (recent.unshift({ keys: [...keys], maker }) > RECENT) recent.pop();
  return maker(values);
}

/**
 * The last few shapes made, compared key by key before any signature is joined: manifest.json's
 * 30,000 nodes of the 10,000-model bench have a handful of shapes, and joining each node's 45
 * keys into a ~600-character signature, then hashing it, was most of this function's time.
 */
const RECENT = 4;
const recent: { keys: readonly string[]; maker: Maker }[] = [];

/** Whether two key lists are the same keys in the same order. */
export function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function literal(keys: readonly string[]): Maker {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the keys are quoted by JSON.stringify: data, never code
  return new Function('v', `return {${keys.map((key, i) => `${JSON.stringify(key)}: v[${i}]`).join(', ')}};`) as Maker;
}

function assigning(keys: readonly string[]): Maker {
  return (values) => {
    const out: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      out[key] = values[i];
    });
    return out;
  };
}
