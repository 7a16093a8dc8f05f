// The few Reflect metadata functions tsyringe (a dependency of @peculiar/x509) insists on, so the
// test helpers can use @peculiar/x509 without adding a reflect-metadata package. Test-only.
type Target = object;
const store = new WeakMap<Target, Map<string | symbol | undefined, Map<unknown, unknown>>>();

function table(
  target: Target,
  prop: string | symbol | undefined,
  create: boolean,
): Map<unknown, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp && create) {
    byProp = new Map();
    store.set(target, byProp);
  }
  let t = byProp?.get(prop);
  if (!t && create && byProp) {
    t = new Map();
    byProp.set(prop, t);
  }
  return t;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  const getOwnMetadata = (key: unknown, target: Target, prop?: string | symbol) =>
    table(target, prop, false)?.get(key);
  const getMetadata = (key: unknown, target: Target, prop?: string | symbol): unknown => {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t)) {
      const v = table(t, prop, false);
      if (v?.has(key)) return v.get(key);
    }
    return undefined;
  };
  const defineMetadata = (key: unknown, value: unknown, target: Target, prop?: string | symbol) => {
    table(target, prop, true)?.set(key, value);
  };
  Object.assign(R, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasMetadata: (key: unknown, target: Target, prop?: string | symbol) =>
      getMetadata(key, target, prop) !== undefined,
    hasOwnMetadata: (key: unknown, target: Target, prop?: string | symbol) =>
      table(target, prop, false)?.has(key) ?? false,
    metadata: (key: unknown, value: unknown) => (target: Target, prop?: string | symbol) =>
      defineMetadata(key, value, target, prop),
  });
}
