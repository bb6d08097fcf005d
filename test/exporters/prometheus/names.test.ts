import { describe, expect, it } from 'vitest';
import { labelName, metricName, type ExposedKind } from '../../../exporters/prometheus/names.js';

// Cases from prometheus/otlptranslator's metric_namer and label_namer (UnderscoreEscapingWithSuffixes),
// and the semantic-convention names the receivers here emit.
const METRICS: Array<[name: string, unit: string, kind: ExposedKind, expected: string]> = [
  ['process.cpu.time', 's', 'counter', 'process_cpu_time_seconds_total'],
  ['process.memory.usage', 'By', 'updown', 'process_memory_usage_bytes'],
  ['process.memory.usage', 'By', 'gauge', 'process_memory_usage_bytes'],
  ['process.cpu.utilization', '1', 'gauge', 'process_cpu_utilization_ratio'],
  ['process.thread.count', '{thread}', 'updown', 'process_thread_count'],
  ['healthcheck.up', '1', 'updown', 'healthcheck_up'],
  ['system.disk.io', 'By', 'counter', 'system_disk_io_bytes_total'],
  ['requests.count', '1', 'counter', 'requests_count_total'],
  ['http.server.request.duration', 'ms', 'gauge', 'http_server_request_duration_milliseconds'],
  ['disk.usage', '%', 'gauge', 'disk_usage_percent'],
  ['temperature', 'Cel', 'gauge', 'temperature_celsius'],
  ['network.io', 'By/s', 'gauge', 'network_io_bytes_per_second'],
  ['throughput', '{request}/s', 'gauge', 'throughput_per_second'],
  ['memory.bytes', 'By', 'gauge', 'memory_bytes'],
  ['system.io.total', 'By', 'counter', 'system_io_bytes_total'],
  ['cpu.ratio', '1', 'gauge', 'cpu_ratio'],
  ['ratio.of.cpu', '1', 'gauge', 'of_cpu_ratio'],
  ['foo--bar__baz', '', 'gauge', 'foo_bar_baz'],
  ['2xx.responses', '', 'gauge', '_2xx_responses'],
  ['jvm:heap', 'MiBy', 'gauge', 'jvm:heap_mebibytes'],
  ['uptime', 'h', 'counter', 'uptime_hours_total'],
  ['speed', 'm/h', 'gauge', 'speed_meters_per_hour'],
  ['odd', 'bits/fortnight', 'gauge', 'odd_bits_per_fortnight'],
];

describe('metric names as Prometheus translates OTLP names', () => {
  it.each(METRICS)('%s in %s as %s is %s', (name, unit, kind, expected) => {
    expect(metricName(name, unit, kind)).toBe(expected);
  });

  it('puts the namespace first', () => {
    expect(metricName('process.cpu.time', 's', 'counter', 'healthpipe')).toBe('healthpipe_process_cpu_time_seconds_total');
  });

  it('gives nothing for a name of no valid character', () => {
    expect(metricName('...', '', 'gauge')).toBe('');
    expect(metricName('__', '', 'gauge')).toBe('');
  });
});

describe('label names', () => {
  it.each([
    ['http.status_code', 'http_status_code'],
    ['service.instance.id', 'service_instance_id'],
    ['a..b', 'a_b'],
    ['a__b', 'a_b'],
    ['123invalid', 'key_123invalid'],
    ['__name__', '__name__'],
    ['__x.y__', '__x_y__'],
    ['ünïcode', '_n_code'],
    ['_private', '_private'],
  ])('%s is %s', (name, expected) => {
    expect(labelName(name)).toBe(expected);
  });

  it('gives nothing for a name of underscores only', () => {
    expect(labelName('...')).toBe('');
  });
});
