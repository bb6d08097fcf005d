import { isNullScalar, type LocatedEntry, type LocatedNode } from './located.js';

/**
 * The collector's rule for several `--config` files: maps merge recursively, the later
 * file wins, lists are replaced whole. Each node keeps the position of the file that
 * supplied it. A later empty value (`console:`) over a map leaves the map, since an empty
 * component section means `{}`.
 */
export function mergeNodes(base: LocatedNode, overlay: LocatedNode): LocatedNode {
  if (base.kind === 'map' && isNullScalar(overlay)) return base;
  if (base.kind !== 'map' || overlay.kind !== 'map') return overlay;
  const entries = new Map<string, LocatedEntry>(base.entries);
  for (const [key, entry] of overlay.entries) {
    const existing = entries.get(key);
    entries.set(key, existing === undefined ? entry : { ...entry, value: mergeNodes(existing.value, entry.value) });
  }
  return { kind: 'map', position: base.position, entries };
}
