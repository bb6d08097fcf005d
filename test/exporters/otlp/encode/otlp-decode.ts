// A test-only reader of OTLP metrics requests, protobuf and JSON, into one plain shape, so
// the tests check what a backend would read, independently of the serializers that wrote it.
// The protobuf field numbers are those of opentelemetry/proto/metrics/v1/metrics.proto.

export type DecodedValue = string | number | boolean;

export interface DecodedPoint {
  readonly attributes: Record<string, DecodedValue>;
  /** Nanoseconds as decimal text, as OTLP/JSON writes them; "0" is unset. */
  readonly startTimeUnixNano: string;
  readonly timeUnixNano: string;
  readonly value: number;
}

export interface DecodedMetric {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly kind: 'gauge' | 'sum' | 'other';
  /** Sums: 1 delta, 2 cumulative. */
  readonly temporality?: number;
  readonly monotonic?: boolean;
  readonly points: DecodedPoint[];
}

export interface DecodedResource {
  readonly attributes: Record<string, DecodedValue>;
  readonly scope: { readonly name: string; readonly version: string };
  readonly metrics: DecodedMetric[];
}

interface Field {
  readonly number: number;
  readonly wire: number;
  /** Varint as bigint, fixed64 as its 8 bytes, length-delimited as its bytes. */
  readonly value: bigint | Uint8Array;
}

function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const tag = Number(varint());
    const number = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 1) {
      if (at + 8 > bytes.length) throw new Error('truncated fixed64');
      out.push({ number, wire, value: bytes.subarray(at, at + 8) });
      at += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      if (at + length > bytes.length) throw new Error('truncated length-delimited field');
      out.push({ number, wire, value: bytes.subarray(at, at + length) });
      at += length;
    } else if (wire === 5) at += 4;
    else throw new Error(`wire type ${wire} in an OTLP message`);
  }
  return out;
}

const text = new TextDecoder('utf-8', { fatal: true });
const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const str = (field: Field): string => text.decode(field.value as Uint8Array);
const fixed64 = (field: Field): bigint => view(field.value as Uint8Array).getBigUint64(0, true);
const double = (field: Field): number => view(field.value as Uint8Array).getFloat64(0, true);
const varintOf = (field: Field): bigint => field.value as bigint;
const message = (field: Field): Field[] => fields(field.value as Uint8Array);

function anyValue(parts: Field[]): DecodedValue {
  const field = parts[0];
  if (field === undefined) throw new Error('empty AnyValue');
  switch (field.number) {
    case 1:
      return str(field);
    case 2:
      return varintOf(field) !== 0n;
    case 3:
      return Number(BigInt.asIntN(64, varintOf(field)));
    case 4:
      return double(field);
    default:
      throw new Error(`AnyValue field ${field.number} not expected here`);
  }
}

function keyValues(parts: Field[], number: number): Record<string, DecodedValue> {
  const out: Record<string, DecodedValue> = {};
  for (const field of parts.filter((part) => part.number === number)) {
    const kv = message(field);
    const key = str(kv.find((part) => part.number === 1)!);
    if (Object.hasOwn(out, key)) throw new Error(`attribute ${key} twice`);
    out[key] = anyValue(message(kv.find((part) => part.number === 2)!));
  }
  return out;
}

function numberPoint(parts: Field[]): DecodedPoint {
  const start = parts.find((part) => part.number === 2);
  const time = parts.find((part) => part.number === 3);
  const asDouble = parts.find((part) => part.number === 4);
  const asInt = parts.find((part) => part.number === 6);
  return {
    attributes: keyValues(parts, 7),
    startTimeUnixNano: start === undefined ? '0' : fixed64(start).toString(),
    timeUnixNano: time === undefined ? '0' : fixed64(time).toString(),
    value: asDouble !== undefined ? double(asDouble) : asInt !== undefined ? Number(BigInt.asIntN(64, fixed64(asInt))) : 0,
  };
}

function metric(parts: Field[]): DecodedMetric {
  const stringField = (number: number): string => {
    const field = parts.find((part) => part.number === number);
    return field === undefined ? '' : str(field);
  };
  const base = { name: stringField(1), description: stringField(2), unit: stringField(3) };
  const gauge = parts.find((part) => part.number === 5);
  const sum = parts.find((part) => part.number === 7);
  if (gauge !== undefined) return { ...base, kind: 'gauge', points: message(gauge).filter((part) => part.number === 1).map((part) => numberPoint(message(part))) };
  if (sum !== undefined) {
    const body = message(sum);
    const temporality = body.find((part) => part.number === 2);
    const monotonic = body.find((part) => part.number === 3);
    return {
      ...base,
      kind: 'sum',
      temporality: temporality === undefined ? 0 : Number(varintOf(temporality)),
      monotonic: monotonic !== undefined && varintOf(monotonic) !== 0n,
      points: body.filter((part) => part.number === 1).map((part) => numberPoint(message(part))),
    };
  }
  return { ...base, kind: 'other', points: [] };
}

/** An ExportMetricsServiceRequest in protobuf, resource by resource (one scope each, as we write them). */
export function decodeProtobuf(body: Uint8Array): DecodedResource[] {
  return fields(body).map((field) => {
    if (field.number !== 1 || field.wire !== 2) throw new Error(`request field ${field.number} is not resource_metrics`);
    const resourceMetrics = message(field);
    const resource = resourceMetrics.find((part) => part.number === 1);
    const scopes = resourceMetrics.filter((part) => part.number === 2).map(message);
    if (scopes.length !== 1) throw new Error(`${scopes.length} scopes in one resource`);
    const scopeMetrics = scopes[0]!;
    const scope = message(scopeMetrics.find((part) => part.number === 1)!);
    const scopeString = (number: number): string => {
      const found = scope.find((part) => part.number === number);
      return found === undefined ? '' : str(found);
    };
    return {
      attributes: resource === undefined ? {} : keyValues(message(resource), 1),
      scope: { name: scopeString(1), version: scopeString(2) },
      metrics: scopeMetrics.filter((part) => part.number === 2).map((part) => metric(message(part))),
    };
  });
}

// OTLP/JSON (protobuf's JSON mapping with lowerCamelCase keys).

interface JsonKeyValue {
  key: string;
  value: { stringValue?: string; boolValue?: boolean; intValue?: number | string; doubleValue?: number | string };
}
interface JsonPoint {
  attributes?: JsonKeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  asDouble?: number | string;
  asInt?: number | string;
}
interface JsonMetric {
  name: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints: JsonPoint[] };
  sum?: { dataPoints: JsonPoint[]; aggregationTemporality?: number | string; isMonotonic?: boolean };
}
interface JsonRequest {
  resourceMetrics: {
    resource?: { attributes?: JsonKeyValue[] };
    scopeMetrics: { scope: { name: string; version?: string }; metrics: JsonMetric[] }[];
  }[];
}

function jsonAttributes(list: JsonKeyValue[] | undefined): Record<string, DecodedValue> {
  const out: Record<string, DecodedValue> = {};
  for (const { key, value } of list ?? []) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = Number(value.doubleValue);
    else throw new Error(`attribute ${key} has no value of a known type`);
  }
  return out;
}

function jsonTime(time: string | undefined): string {
  if (time !== undefined && typeof time !== 'string') throw new Error(`a timestamp is a ${typeof time}, not a string`);
  return time ?? '0';
}

function jsonPoint(point: JsonPoint): DecodedPoint {
  const value = point.asDouble ?? point.asInt;
  if (value === null) throw new Error('a point value written as null');
  return {
    attributes: jsonAttributes(point.attributes),
    startTimeUnixNano: jsonTime(point.startTimeUnixNano),
    timeUnixNano: jsonTime(point.timeUnixNano),
    value: Number(value ?? 0),
  };
}

/** An ExportMetricsServiceRequest in OTLP/JSON, read into the same shape as `decodeProtobuf`. */
export function decodeJson(body: Uint8Array): DecodedResource[] {
  const request = JSON.parse(text.decode(body)) as JsonRequest;
  return request.resourceMetrics.map((resourceMetrics) => {
    if (resourceMetrics.scopeMetrics.length !== 1) throw new Error(`${resourceMetrics.scopeMetrics.length} scopes in one resource`);
    const scopeMetrics = resourceMetrics.scopeMetrics[0]!;
    return {
      attributes: jsonAttributes(resourceMetrics.resource?.attributes),
      scope: { name: scopeMetrics.scope.name, version: scopeMetrics.scope.version ?? '' },
      metrics: scopeMetrics.metrics.map((entry): DecodedMetric => {
        const base = { name: entry.name, description: entry.description ?? '', unit: entry.unit ?? '' };
        if (entry.gauge !== undefined) return { ...base, kind: 'gauge', points: entry.gauge.dataPoints.map(jsonPoint) };
        if (entry.sum !== undefined) {
          return {
            ...base,
            kind: 'sum',
            temporality: Number(entry.sum.aggregationTemporality ?? 0),
            monotonic: entry.sum.isMonotonic ?? false,
            points: entry.sum.dataPoints.map(jsonPoint),
          };
        }
        return { ...base, kind: 'other', points: [] };
      }),
    };
  });
}
