// Lookups whose miss is a bug (the key comes from the same data the map or array was built from): they throw
// a message naming what is missing, where a non-null assertion would let `undefined` travel on.
export function getOrThrow<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`${what} ${String(key)} is missing`);
  return value;
}

export function atOrThrow<T>(items: ReadonlyArray<T>, index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new Error(`${what} #${index} is missing (${items.length} in all)`);
  return item;
}
