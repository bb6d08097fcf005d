/** What an OTLP receiver refused of a request it answered 200 (`ExportMetricsPartialSuccess`). */
export interface PartialSuccess {
  readonly rejectedDataPoints: number;
  readonly errorMessage: string;
}

/**
 * Reads the partial success of an `ExportMetricsServiceResponse` (protobuf or JSON, by the
 * answer's content type); undefined when there is none, nothing was rejected, or the body
 * cannot be read (an answer we cannot read is still a 200: the request was taken).
 */
export function readPartialSuccess(body: Buffer, contentType: string | undefined): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  try {
    const found = (contentType ?? '').includes('json') ? fromJson(body) : fromProtobuf(body);
    return found !== undefined && (found.rejectedDataPoints > 0 || found.errorMessage !== '') ? found : undefined;
  } catch {
    return undefined;
  }
}

function fromJson(body: Buffer): PartialSuccess | undefined {
  const parsed = JSON.parse(body.toString('utf8')) as { partialSuccess?: { rejectedDataPoints?: unknown; errorMessage?: unknown } };
  const partial = parsed?.partialSuccess;
  if (partial === undefined || partial === null) return undefined;
  const rejected = Number(partial.rejectedDataPoints ?? 0);
  return {
    rejectedDataPoints: Number.isFinite(rejected) && rejected > 0 ? rejected : 0,
    errorMessage: typeof partial.errorMessage === 'string' ? partial.errorMessage : '',
  };
}

/**
 * `ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }` and
 * `ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }`:
 * two levels of fields, read by hand rather than by loading a protobuf runtime for it.
 */
function fromProtobuf(body: Buffer): PartialSuccess | undefined {
  let partial: PartialSuccess | undefined;
  forEachField(body, (field, wire, value) => {
    if (field === 1 && wire === 2 && value instanceof Buffer) {
      let rejectedDataPoints = 0;
      let errorMessage = '';
      forEachField(value, (inner, innerWire, innerValue) => {
        if (inner === 1 && innerWire === 0 && typeof innerValue === 'number') rejectedDataPoints = innerValue;
        if (inner === 2 && innerWire === 2 && innerValue instanceof Buffer) errorMessage = innerValue.toString('utf8');
      });
      partial = { rejectedDataPoints, errorMessage };
    }
  });
  return partial;
}

type FieldValue = number | Buffer | undefined;

/** Walks a message's fields; throws on a malformed one. Fixed-size fields are skipped. */
function forEachField(buffer: Buffer, visit: (field: number, wire: number, value: FieldValue) => void): void {
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let factor = 1;
    for (let shift = 0; shift < 70; shift += 7) {
      if (offset >= buffer.length) throw new Error('truncated varint');
      const byte = buffer[offset++]!;
      result += (byte & 0x7f) * factor;
      if ((byte & 0x80) === 0) return result;
      factor *= 128;
    }
    throw new Error('varint too long');
  };
  while (offset < buffer.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) visit(field, wire, varint());
    else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else if (wire === 2) {
      const length = varint();
      if (offset + length > buffer.length) throw new Error('truncated field');
      visit(field, wire, buffer.subarray(offset, offset + length));
      offset += length;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}
