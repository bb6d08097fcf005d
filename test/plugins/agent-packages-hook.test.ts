import { describe, expect, it } from 'vitest';
import { initialize, packageFrom, redirect, resolve, type AgentPackages } from '../../src/plugins/agent-packages-hook.js';

const agent: AgentPackages = { agentURL: 'file:///opt/healthpipe/dist/src/plugins/agent-packages.js', shared: ['healthpipe', 'rxjs'] };

describe('the resolution hook for plugins', () => {
  it("resolves healthpipe and rxjs, with their subpaths, as the agent itself would", () => {
    for (const specifier of ['healthpipe', 'rxjs', 'rxjs/operators', 'healthpipe/package.json']) {
      expect(redirect(specifier, agent)).toEqual({ specifier, parentURL: agent.agentURL });
    }
  });

  it('leaves every other import to Node: relative paths, URLs, built-ins, other packages', () => {
    for (const specifier of ['./x.js', '../healthpipe', '/abs/rxjs.js', 'node:fs', 'file:///x.js', 'zod', 'rxjs-extra', '@scope/rxjs', '#internal']) {
      expect(redirect(specifier, agent)).toBeUndefined();
    }
  });

  it("resolves a package plugin from the configuration's directory", () => {
    for (const name of ['healthpipe-plugin-foo', '@acme/healthpipe-plugin', '@acme/plugin/sub path']) {
      const directory = 'file:///etc/health%20pipe/';
      expect(redirect(packageFrom(name, directory), agent)).toEqual({ specifier: name, parentURL: directory });
    }
  });

  it('hands the rewritten import to the next resolver in the chain', async () => {
    const calls: Array<{ specifier: string; parentURL: string | undefined }> = [];
    const next = async (specifier: string, context?: { parentURL?: string }) => {
      calls.push({ specifier, parentURL: context?.parentURL });
      return { url: `file:///resolved/${specifier}` };
    };
    await initialize(agent);
    const context = { conditions: ['node', 'import'], importAttributes: {}, importAssertions: {}, parentURL: 'file:///tmp/x/plugin.js' };
    await resolve('rxjs', context, next);
    await resolve('./helper.js', context, next);
    expect(calls).toEqual([
      { specifier: 'rxjs', parentURL: agent.agentURL },
      { specifier: './helper.js', parentURL: 'file:///tmp/x/plugin.js' },
    ]);
  });
});
