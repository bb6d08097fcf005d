import { readFileSync } from 'node:fs';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { internalReceiverSchema } from '../../../receivers/internal/config.js';
import { createInternalReceiverFactory } from '../../../receivers/internal/index.js';
import { SelfTelemetry } from '../../../src/telemetry/self-telemetry.js';
import { createTestContext } from '../../helpers/context.js';

describe('internal receiver config', () => {
  it('leaves collection_interval unset by default (the agent-wide metrics interval applies)', () => {
    expect(internalReceiverSchema.parse({})).toEqual({});
    expect(internalReceiverSchema.parse({ collection_interval: '1m' })).toEqual({ collection_interval: 60_000 });
  });

  it('rejects unknown keys, malformed and too short intervals', () => {
    expect(internalReceiverSchema.safeParse({ interval: '15s' }).success).toBe(false);
    expect(internalReceiverSchema.safeParse({ collection_interval: 'often' }).success).toBe(false);
    expect(internalReceiverSchema.safeParse({ collection_interval: '0s' }).success).toBe(false);
  });
});

describe('internal receiver factory', () => {
  it('is the receiver type "internal" with a one-line description', async () => {
    const selfTelemetry = new SelfTelemetry('test');
    const factory = createInternalReceiverFactory(selfTelemetry);
    expect(factory.kind).toBe('receiver');
    expect(factory.type).toBe('internal');
    expect(factory.description).not.toMatch(/\n/);
    await selfTelemetry.shutdown();
  });

  it('emits the real self-telemetry, including its own accepted count', async () => {
    const selfTelemetry = new SelfTelemetry('host:7');
    const factory = createInternalReceiverFactory(selfTelemetry);
    const context = { ...createTestContext({ id: 'internal' }), telemetry: selfTelemetry.forComponent('internal', 'receiver') };
    selfTelemetry.forComponent('otlp', 'exporter').sent(9);

    const config = factory.schema.parse({ collection_interval: '100ms' });
    const [first, second] = await firstValueFrom(factory.create(config, context).pipe(take(2), toArray()));

    const sent = first?.find((point) => point.series.name === 'healthpipe.exporter.sent');
    expect(sent?.value).toBe(9);
    expect(sent?.series.attributes).toEqual({ component: 'otlp' });
    expect(sent?.series.resource.attributes['service.instance.id']).toBe('host:7');
    const ownCount = second?.find(
      (point) => point.series.name === 'healthpipe.receiver.accepted_points' && point.series.attributes['component'] === 'internal',
    );
    expect(ownCount?.value).toBe(first?.length);
    await selfTelemetry.shutdown();
    context.store.close();
  });

  it('has a README with the option-table markers on their own lines', () => {
    const readme = readFileSync(new URL('../../../receivers/internal/README.md', import.meta.url), 'utf8');
    expect(readme.split('\n')).toEqual(expect.arrayContaining(['<!-- options:start -->', '<!-- options:end -->']));
  });
});
