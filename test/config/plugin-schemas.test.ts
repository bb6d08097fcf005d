import { EMPTY } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineReceiver } from '../../src/component/define.js';
import { ComponentRegistry } from '../../src/component/registry.js';
import { problemsOf, yaml } from './helpers.js';
import { testRegistry } from './registry.js';

/** A plugin receiver whose schema has a bug: its transform throws instead of adding an issue. */
const fragile = defineReceiver({
  type: 'fragile',
  description: 'a schema that throws',
  schema: z
    .strictObject({
      host: z.string().default('localhost'),
      api_token: z.string().optional(),
      failure: z.enum(['message', 'long', 'not_an_error']).default('message'),
    })
    .transform((config) => {
      if (config.failure === 'long') throw new Error(`cannot resolve ${'a very long host name '.repeat(20)}`);
      // Throwing something other than an Error is part of the bug under test.
      if (config.failure === 'not_an_error') throw config.host;
      throw new Error(`cannot resolve ${config.host} with token ${config.api_token ?? 'none'}\n    at resolve (plugin.js:1:1)`);
    }),
  create: () => EMPTY,
});

const registry = new ComponentRegistry([...testRegistry().all(), fragile]);

describe('a component schema that throws', () => {
  it('is one problem at the component, without values or a stack, and the rest is still checked', () => {
    const problems = problemsOf(
      yaml(
        'receivers:', //                                  1
        '  fragile:', //                                   2
        '    host: db-primary.internal', //                3
        '    api_token: s3cr3t-t0ken', //                  4
        '  fragile/long:', //                              5
        '    failure: long', //                            6
        '  fragile/odd:', //                               7
        '    failure: not_an_error', //                    8
        '    host: db-replica.internal', //                9
        '  poller:', //                                   10
        '    port: high', //                              11
        'exporters:', //                                  12
        '  shipper:', //                                  13
        'service:', //                                    14
        '  pipelines:', //                                15
        '    metrics:', //                                16
        '      receivers: [fragile, fragile/long, fragile/odd, poller]',
        '      exporters: [shipper]',
      ),
      {},
      registry,
    );
    expect(problems).toEqual([
      'pipeline.yaml:2:3: receivers.fragile: the schema of receiver "fragile" threw: cannot resolve *** with token ***',
      'pipeline.yaml:5:3: receivers.fragile/long: the schema of receiver "fragile/long" threw an error without a short message to show',
      'pipeline.yaml:7:3: receivers.fragile/odd: the schema of receiver "fragile/odd" threw a value that is not an Error',
      'pipeline.yaml:11:11: receivers.poller.port: expected a number, got a string',
    ]);
    const output = problems.join('\n');
    for (const value of ['db-primary', 'db-replica', 's3cr3t', 'plugin.js']) expect(output).not.toContain(value);
  });
});
