import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../receivers/health_check/check-result.js';
import { execCheckSchema } from '../../../receivers/health_check/config.js';
import { createExecCheck } from '../../../receivers/health_check/exec/exec-check.js';
import { componentEnv, requireComponent } from '../../helpers/components.js';
import { eventually, isAlive, pidIn, writePlugin } from './plugins.js';
import { useFixtures } from './servers.js';

const fixtures = useFixtures();
/** The cached plugins find the libraries unpacked beside them through this. */
const libraries = componentEnv({})['LD_LIBRARY_PATH'];
const pluginEnv = libraries === undefined ? {} : { LD_LIBRARY_PATH: libraries };


function exec(command: string[], env: Record<string, string> = {}, signal = new AbortController().signal): Promise<CheckResult> {
  return createExecCheck(execCheckSchema.parse({ command, env: { ...pluginEnv, ...env } })).run(signal);
}

describe('exec check with the real Nagios plugins', () => {
  it('check_tcp: ok against a real server, with its response time as perfdata in seconds', async () => {
    const result = await exec([requireComponent('usr/lib/nagios/plugins/check_tcp'), '-H', '127.0.0.1', '-p', String(fixtures.port)]);
    expect(result.state).toBe('ok');
    expect(result.errorType).toBeUndefined();
    expect(result.message).toMatch(/^TCP OK/);
    expect(result.perfdata).toEqual([expect.objectContaining({ label: 'time', unit: 's', min: 0 })]);
  });

  it('check_tcp: critical on a refused port, the plugin saying why, with no error type (the check completed)', async () => {
    const result = await exec([requireComponent('usr/lib/nagios/plugins/check_tcp'), '-H', '127.0.0.1', '-p', '1']);
    expect(result.state).toBe('critical');
    expect(result.errorType).toBeUndefined();
    expect(result.message).toMatch(/Connection refused/);
  });

  it('check_procs: ok with the process count as perfdata', async () => {
    const result = await exec([requireComponent('usr/lib/nagios/plugins/check_procs')]);
    expect(result.state).toBe('ok');
    expect(result.message).toMatch(/^PROCS OK/);
    const procs = result.perfdata?.find((item) => item.label === 'procs');
    expect(procs?.unit).toBe('');
    expect(procs?.value).toBeGreaterThan(0);
  });
});

describe('exec check', () => {
  it('maps exit 0–3 and takes the first line before | as the message', async () => {
    const states = [];
    for (const code of [0, 1, 2, 3]) {
      const plugin = writePlugin(fixtures.folder, `exit${code}`, `echo "STATE ${code} | v=${code}ms;1;2"\necho "long output"\nexit ${code}`);
      states.push(await exec([plugin]));
    }
    expect(states.map((result) => result.state)).toEqual(['ok', 'warning', 'critical', 'unknown']);
    expect(states[2]).toMatchObject({ message: 'STATE 2', perfdata: [{ label: 'v', value: 0.002, unit: 's', warn: '1', crit: '2' }] });
  });

  it('reports exit code 7 as unknown with plugin_error, keeping what the plugin said', async () => {
    const plugin = writePlugin(fixtures.folder, 'exit7', 'echo "confused"\nexit 7');
    expect(await exec([plugin])).toMatchObject({ state: 'unknown', errorType: 'plugin_error', message: 'plugin exited with code 7: confused' });
  });

  it('reports a plugin killed by a signal as unknown with plugin_error', async () => {
    const plugin = writePlugin(fixtures.folder, 'killed', 'kill -9 $$');
    expect(await exec([plugin])).toMatchObject({ state: 'unknown', errorType: 'plugin_error', message: 'plugin killed by SIGKILL' });
  });

  it('reports a missing or non-executable program as exec_failed', async () => {
    expect(await exec([join(fixtures.folder, 'no-such-plugin')])).toMatchObject({
      state: 'unknown',
      errorType: 'exec_failed',
      message: 'cannot run no-such-plugin: not found',
    });
    const plain = writePlugin(fixtures.folder, 'not-executable', 'echo hi', 0o644);
    expect(await exec([plain])).toMatchObject({ errorType: 'exec_failed', message: 'cannot run not-executable: permission denied' });
  });

  it('runs argv without a shell, in an environment of PATH, LC_ALL and its own env only', async () => {
    process.env['HEALTHPIPE_TEST_AGENT_SECRET'] = 'agent-only';
    try {
      const literal = await exec(['/bin/echo', '$HOME; echo injected `id`']);
      expect(literal.message).toBe('$HOME; echo injected `id`');
      const env = await exec(['/bin/sh', '-c', 'echo "[$HEALTHPIPE_TEST_AGENT_SECRET][$LC_ALL][$MINE]"'], { MINE: 'mine' });
      expect(env.message).toBe('[][C][mine]');
    } finally {
      delete process.env['HEALTHPIPE_TEST_AGENT_SECRET'];
    }
  });

  it("uses stderr's first line when the plugin printed nothing on stdout", async () => {
    const plugin = writePlugin(fixtures.folder, 'stderr', 'echo "cannot read config" >&2\nexit 3');
    expect(await exec([plugin])).toMatchObject({ state: 'unknown', message: 'cannot read config' });
  });

  it('keeps a bounded part of a plugin that prints 10 MB, and still reads its exit and first line', async () => {
    const plugin = writePlugin(fixtures.folder, 'chatty', "printf 'BIG OUTPUT | out=1B\\n'\nhead -c 10000000 /dev/zero | tr '\\0' x\nexit 2");
    const result = await exec([plugin]);
    expect(result).toMatchObject({ state: 'critical', message: 'BIG OUTPUT', perfdata: [{ label: 'out', value: 1, unit: 'By' }] });
  });

  it('kills the whole process group at the timeout: the plugin and the sleeper it forked', async () => {
    const pids = join(fixtures.folder, 'hang.pids');
    const plugin = writePlugin(fixtures.folder, 'hang', `sleep 300 &\necho $! > ${pids}.sleeper\necho $$ > ${pids}\nwait`);
    const controller = new AbortController();
    const pending = exec([plugin], {}, controller.signal);
    const pluginPid = await pidIn(pids);
    const sleeperPid = await pidIn(`${pids}.sleeper`);
    expect(isAlive(sleeperPid)).toBe(true);
    controller.abort();
    expect(await pending).toMatchObject({ state: 'critical', errorType: 'timeout' });
    expect(await eventually(() => !isAlive(pluginPid) && !isAlive(sleeperPid))).toBe(true);
  });

  it('kills the group with SIGKILL when the plugin ignores SIGTERM', async () => {
    const pids = join(fixtures.folder, 'stubborn.pids');
    const plugin = writePlugin(fixtures.folder, 'stubborn', `trap '' TERM\nsleep 300 &\necho $! > ${pids}.sleeper\necho $$ > ${pids}\nwhile :; do sleep 1; done`);
    const controller = new AbortController();
    const pending = exec([plugin], {}, controller.signal);
    const pluginPid = await pidIn(pids);
    const sleeperPid = await pidIn(`${pids}.sleeper`);
    controller.abort();
    await pending;
    expect(await eventually(() => !isAlive(pluginPid) && !isAlive(sleeperPid))).toBe(true);
  });

  it('leaves no orphan when a plugin exits and forgets a child in the background', async () => {
    const pids = join(fixtures.folder, 'forgetful.pids');
    const plugin = writePlugin(fixtures.folder, 'forgetful', `sleep 300 &\necho $! > ${pids}\necho "OK but careless"`);
    const result = await exec([plugin]);
    expect(result).toMatchObject({ state: 'ok', message: 'OK but careless' });
    const sleeperPid = await pidIn(pids);
    expect(await eventually(() => !isAlive(sleeperPid))).toBe(true);
  });
});
