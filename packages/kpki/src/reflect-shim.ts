// @peculiar/x509 v2 builds on tsyringe, which refuses to load unless a Reflect metadata polyfill is
// present (it reads constructor parameter types, of which x509's classes have none). This installs
// the smallest polyfill that satisfies it, without replacing one that is already there. It must be
// evaluated before @peculiar/x509: import it through ./x509.ts, never on its own.

type MetadataMap = WeakMap<object, Map<unknown, unknown>>;
const store: MetadataMap = new WeakMap();

function own(target: object, create: boolean): Map<unknown, unknown> | undefined {
  let map = store.get(target);
  if (!map && create) {
    map = new Map();
    store.set(target, map);
  }
  return map;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (key: unknown, value: unknown, target: object) => {
    own(target, true)!.set(key, value);
  };
  reflect.getOwnMetadata = (key: unknown, target: object) => own(target, false)?.get(key);
  reflect.getMetadata = (key: unknown, target: object) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const map = own(t, false);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
}
