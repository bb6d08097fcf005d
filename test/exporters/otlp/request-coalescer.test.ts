import { describe, expect, it } from 'vitest';
import type { EncodedRequest } from '../../../exporters/otlp/encode/index.js';
import { RequestCoalescer } from '../../../exporters/otlp/request-coalescer.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';

const request = (text: string, points: number): EncodedRequest => ({ body: Buffer.from(text), points, contentType: 'text/plain' });
const joiner = {
  encode: () => undefined,
  concat: (requests: readonly EncodedRequest[]): EncodedRequest => ({
    body: Buffer.concat(requests.map((part) => part.body)),
    points: requests.reduce((sum, part) => sum + part.points, 0),
    contentType: 'text/plain',
  }),
};

describe('RequestCoalescer', () => {
  function setup(limits = { maxBytes: 1000, maxPoints: 1000 }) {
    const scheduler = new SteppingScheduler();
    const delivered: string[] = [];
    const coalescer = new RequestCoalescer(joiner, scheduler, limits, (joined) => delivered.push(`${Buffer.from(joined.body).toString()}/${joined.points}`));
    return { scheduler, delivered, coalescer };
  }

  it('joins the requests of one turn into one, delivered on the next scheduler turn', () => {
    const { scheduler, delivered, coalescer } = setup();
    coalescer.add(request('a', 1));
    coalescer.add(request('b', 2));
    expect(delivered).toEqual([]);
    scheduler.advanceTo(0);
    expect(delivered).toEqual(['ab/3']);
    coalescer.add(request('c', 1));
    coalescer.commit();
    expect(delivered).toEqual(['ab/3', 'c/1']);
  });

  it('delivers at once when the points or bytes held reach the limits', () => {
    const { delivered, coalescer } = setup({ maxBytes: 3, maxPoints: 4 });
    coalescer.add(request('a', 2));
    coalescer.add(request('b', 2));
    coalescer.add(request('cd', 1));
    coalescer.add(request('e', 1));
    expect(delivered).toEqual(['ab/4', 'cde/2']);
  });
});
