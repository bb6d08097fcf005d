import { describe, expect, it } from 'vitest';
import { MAX_PERFDATA_ITEMS, parsePerfdata } from '../../../receivers/health_check/exec/perfdata.js';
import { parsePluginOutput } from '../../../receivers/health_check/exec/plugin-output.js';

describe('perfdata parser (Nagios plugin guidelines)', () => {
  it('reads label, value, warn, crit, min and max', () => {
    expect(parsePerfdata('procs=82;100;200;0;1000')).toEqual([
      { label: 'procs', value: 82, unit: '', warn: '100', crit: '200', min: 0, max: 1000 },
    ]);
  });

  it('reads several items, quoted labels with spaces and doubled quotes, and empty or dropped fields', () => {
    expect(parsePerfdata("'free space'=10% 'it''s'=3;;;0; load1=0.5")).toEqual([
      { label: 'free space', value: 10, unit: '%' },
      { label: "it's", value: 3, unit: '', min: 0 },
      { label: 'load1', value: 0.5, unit: '' },
    ]);
  });

  it('converts time UOMs to seconds and byte UOMs to bytes, min and max alike; c is a counter', () => {
    const items = parsePerfdata('a=250ms;;;0;1000 b=20us c=2s d=3KB;;;0;1 e=1.5MB f=1GB g=1TB h=12B i=42c');
    expect(items.map(({ label, value, unit }) => [label, value, unit])).toEqual([
      ['a', 0.25, 's'],
      ['b', 20e-6, 's'],
      ['c', 2, 's'],
      ['d', 3072, 'By'],
      ['e', 1.5 * 1024 ** 2, 'By'],
      ['f', 1024 ** 3, 'By'],
      ['g', 1024 ** 4, 'By'],
      ['h', 12, 'By'],
      ['i', 42, '{count}'],
    ]);
    expect(items[0]).toMatchObject({ min: 0, max: 1 });
    expect(items[3]).toMatchObject({ min: 0, max: 1024 });
  });

  it('keeps warn and crit as written: they are Nagios ranges, not numbers', () => {
    expect(parsePerfdata('t=5s;@10:20;~:30')[0]).toMatchObject({ warn: '@10:20', crit: '~:30' });
  });

  it('skips an item it cannot read and keeps the others', () => {
    expect(parsePerfdata('good=1 novalue= u=U bad=abc weird=3furlongs =4 noequals also=2').map((item) => item.label)).toEqual([
      'good',
      'also',
    ]);
    expect(parsePerfdata("'unclosed=1 next=2")).toEqual([]);
    expect(parsePerfdata("'quoted'x next=2").map((item) => item.label)).toEqual(['next']);
  });

  it(`keeps at most ${MAX_PERFDATA_ITEMS} items`, () => {
    const text = Array.from({ length: 500 }, (_, index) => `m${index}=${index}`).join(' ');
    expect(parsePerfdata(text)).toHaveLength(MAX_PERFDATA_ITEMS);
  });
});

describe('plugin output', () => {
  it('takes the first line before | as the message and perfdata after it', () => {
    expect(parsePluginOutput('TCP OK - 0.001 second response time on port 80|time=0.001s;;;0.000000;10.000000\n')).toEqual({
      message: 'TCP OK - 0.001 second response time on port 80',
      perfdata: [{ label: 'time', value: 0.001, unit: 's', min: 0, max: 10 }],
    });
  });

  it('reads more perfdata from the first later line with a | to the end, and ignores long output before it', () => {
    const output = 'DISK OK | a=1\nlong text a=99\nmore long text | b=2\nc=3\n';
    expect(parsePluginOutput(output)).toEqual({
      message: 'DISK OK',
      perfdata: [
        { label: 'a', value: 1, unit: '' },
        { label: 'b', value: 2, unit: '' },
        { label: 'c', value: 3, unit: '' },
      ],
    });
  });

  it('has an empty message and no perfdata for no output', () => {
    expect(parsePluginOutput('')).toEqual({ message: '', perfdata: [] });
    expect(parsePluginOutput('just text\n')).toEqual({ message: 'just text', perfdata: [] });
  });
});
