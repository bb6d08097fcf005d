import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition, parseValue } from '../lib/exposition.js';

describe('parseExposition', () => {
  it('reads samples with their family, type and labels, skipping comments and timestamps', () => {
    const text = [
      '# HELP http_requests_total Requests served.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      '# a comment of no kind',
      '',
      'http_requests_total{method="get" , code="500",} 3',
      '# TYPE temperature gauge',
      'temperature -1.5e1',
      'no_type_line 7',
    ].join('\n');
    expect(parseExposition(text)).toEqual([
      { name: 'http_requests_total', family: 'http_requests_total', type: 'counter', labels: { method: 'post', code: '200' }, value: 1027 },
      { name: 'http_requests_total', family: 'http_requests_total', type: 'counter', labels: { method: 'get', code: '500' }, value: 3 },
      { name: 'temperature', family: 'temperature', type: 'gauge', labels: {}, value: -15 },
      { name: 'no_type_line', family: 'no_type_line', type: 'untyped', labels: {}, value: 7 },
    ]);
  });

  it('unescapes \\\\, \\" and \\n in label values, keeps other backslashes, and takes CRLF line ends', () => {
    const [sample] = parseExposition('msg{path="C:\\\\temp",quote="say \\"hi\\"",lines="a\\nb",other="\\d"} 1\r\n');
    expect(sample?.labels).toEqual({ path: 'C:\\temp', quote: 'say "hi"', lines: 'a\nb', other: '\\d' });
  });

  it('puts the buckets, sum and count of a histogram and a summary in their family', () => {
    const text = [
      '# TYPE rpc_seconds histogram',
      'rpc_seconds_bucket{le="0.1"} 5',
      'rpc_seconds_bucket{le="+Inf"} 9',
      'rpc_seconds_sum 1.25',
      'rpc_seconds_count 9',
      '# TYPE gc_seconds summary',
      'gc_seconds{quantile="0.5"} NaN',
      'gc_seconds_sum 0',
      'gc_seconds_count 0',
      'other_sum 4',
    ].join('\n');
    expect(parseExposition(text).map((s) => `${s.name}:${s.family}:${s.type}`)).toEqual([
      'rpc_seconds_bucket:rpc_seconds:histogram',
      'rpc_seconds_bucket:rpc_seconds:histogram',
      'rpc_seconds_sum:rpc_seconds:histogram',
      'rpc_seconds_count:rpc_seconds:histogram',
      'gc_seconds:gc_seconds:summary',
      'gc_seconds_sum:gc_seconds:summary',
      'gc_seconds_count:gc_seconds:summary',
      'other_sum:other_sum:untyped',
    ]);
    expect(parseExposition(text)[1]?.labels).toEqual({ le: '+Inf' });
  });

  it('fails, naming the line, on what Prometheus refuses', () => {
    expect(() => parseExposition('ok 1\nbad{a="x} 1')).toThrow(new ExpositionError(2, 'the value of label a is not closed'));
    expect(() => parseExposition('x{a="1",a="2"} 1')).toThrow('line 1: label a is given twice');
    expect(() => parseExposition('x 0x10')).toThrow('line 1: "0x10" is not a number');
    expect(() => parseExposition('x')).toThrow('line 1: expected a value');
    expect(() => parseExposition('x 1 2 3')).toThrow('line 1: expected a value');
    expect(() => parseExposition('# TYPE x meter')).toThrow('line 1: unknown metric type meter');
    expect(() => parseExposition('{a="1"} 1')).toThrow('line 1: expected a metric name');
  });
});

describe('parseValue', () => {
  it("reads what Go's ParseFloat reads, and nothing else", () => {
    expect(parseValue('NaN')).toBeNaN();
    expect(parseValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseValue('1e3')).toBe(1000);
    expect(parseValue('.5')).toBe(0.5);
    expect(parseValue('')).toBeUndefined();
    expect(parseValue('0x10')).toBeUndefined();
    expect(parseValue('1,5')).toBeUndefined();
  });
});
