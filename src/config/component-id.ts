/** `type` or `type/name`, as the collector names components. */
const COMPONENT_ID = /^([a-z][a-z0-9_]*)(?:\/([A-Za-z0-9_.-]+))?$/;

export type ParsedComponentId = { ok: true; type: string; name?: string } | { ok: false };

export function parseComponentId(id: string): ParsedComponentId {
  const match = COMPONENT_ID.exec(id);
  if (match === null) return { ok: false };
  return match[2] === undefined ? { ok: true, type: match[1]! } : { ok: true, type: match[1]!, name: match[2] };
}

export const COMPONENT_ID_RULE =
  'an id is "type" or "type/name" (type: lower_snake_case; name: letters, digits, _ . -)';
