// A view of an object that tells who reads which of its keys: where srkit notes what a run
// depended on (control-selection.ts: the declared parameters a scenario read; reference/target.ts:
// the reference's choices, in the control runner's traced baseline).

/**
 * `target` as a reader sees it (the same values, the same behaviour), with each read told to
 * `read`: the key read, or undefined where what is read may depend on every key (listing the
 * keys, a key that is a symbol). Each change (a write, a definition, a deletion, a new prototype,
 * freezing) is told to `changed`, and done.
 */
export function notingView<T extends object>(
  target: T,
  read: (key: string | undefined) => void,
  changed: () => void,
): T {
  const told = (key: PropertyKey) => read(typeof key === "string" ? key : undefined);
  return new Proxy(target, {
    get(object, key, receiver) {
      told(key);
      return Reflect.get(object, key, receiver);
    },
    has(object, key) {
      told(key);
      return Reflect.has(object, key);
    },
    getOwnPropertyDescriptor(object, key) {
      told(key);
      return Reflect.getOwnPropertyDescriptor(object, key);
    },
    ownKeys(object) {
      read(undefined);
      return Reflect.ownKeys(object);
    },
    set(object, key, value, receiver) {
      changed();
      return Reflect.set(object, key, value, receiver);
    },
    defineProperty(object, key, property) {
      changed();
      return Reflect.defineProperty(object, key, property);
    },
    deleteProperty(object, key) {
      changed();
      return Reflect.deleteProperty(object, key);
    },
    setPrototypeOf(object, prototype) {
      changed();
      return Reflect.setPrototypeOf(object, prototype);
    },
    preventExtensions(object) {
      changed();
      return Reflect.preventExtensions(object);
    },
  });
}
