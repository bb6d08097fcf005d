import type { ComponentStorage } from '../../src/component/storage.js';

/** The real storage, counting its keyed writes, which fail once `failAfter` of them went through. */
export function failingStorage(real: ComponentStorage, failAfter = 0): ComponentStorage & { readonly writes: number } {
  let writes = 0;
  return {
    get writes() {
      return writes;
    },
    ...real,
    keyed: (namespace) => {
      const keyed = real.keyed(namespace);
      return {
        get: (key) => keyed.get(key),
        delete: (key) => keyed.delete(key),
        entries: () => keyed.entries(),
        clear: () => keyed.clear(),
        set: (key, value) => {
          if (++writes > failAfter) throw new Error('SQLITE_FULL: database or disk is full');
          keyed.set(key, value);
        },
      };
    },
  };
}
