/**
 * Suspected pairs joined into clusters (one child, several records): union–find over the pairs,
 * clusters of two or more records, largest first, each listed in record id order.
 */
export function clustersOf(pairs: Iterable<{ recordA: string; recordB: string }>): string[][] {
  const parent = new Map<string, string>();
  const root = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    // Path halving keeps later lookups short without recursion.
    let y = x;
    while (parent.get(y) !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  for (const { recordA, recordB } of pairs) {
    for (const id of [recordA, recordB]) if (!parent.has(id)) parent.set(id, id);
    const [ra, rb] = [root(recordA), root(recordB)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const r = root(id);
    groups.set(r, [...(groups.get(r) ?? []), id]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((x, y) => y.length - x.length || (x[0]! < y[0]! ? -1 : 1));
}
