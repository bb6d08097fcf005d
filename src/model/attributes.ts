/** Attribute values follow OpenTelemetry: strings, numbers and booleans only. */
export type AttributeValue = string | number | boolean;
export type Attributes = Readonly<Record<string, AttributeValue>>;

/**
 * One attribute value as canonical text. Strings are JSON-quoted, numbers and booleans are
 * not, so the type is part of the identity: `{a: 1}` and `{a: "1"}` are two series, as they
 * are in OTLP (an int and a string value) and in every OpenTelemetry backend. `-0` and `0`
 * are one value, as `===` says.
 */
export function canonicalValue(value: AttributeValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Attributes as canonical text, `{"k":v,…}` with the keys sorted: the same content in any
 * key order gives the same text, and different content never does — keys and string values
 * are JSON-quoted, so a `,`, `:`, `=` or quote inside them cannot forge a second attribute.
 */
export function canonicalAttributes(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) out += ',';
    out += `${JSON.stringify(key)}:${canonicalValue(attributes[key]!)}`;
  }
  return `${out}}`;
}
