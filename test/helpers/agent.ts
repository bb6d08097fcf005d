import { parseJsonLine, startCli, type CliRun } from './cli.js';

/**
 * The built agent (`dist/src/cli/main.js run --config F`) as an end-to-end test drives it:
 * started, stopped by SIGTERM or SIGKILL by its PID, started again on the same
 * configuration and data_dir, with the alerts and points its console exporter printed
 * (`format: json`) kept across runs.
 *
 *   const agent = new Agent(configFile, dir);
 *   await agent.start();
 *   const critical = await agent.waitForAlert((a) => a.level === 'critical');
 *   await agent.stop('SIGKILL');
 *   await agent.start();
 */

/** One alert line of the console exporter (DESIGN.md §3, "Console JSON"). */
export interface ConsoleAlert {
  readonly kind: 'alert';
  readonly time: string;
  readonly fingerprint: string;
  readonly service: string;
  readonly rule: string;
  readonly level: string;
  readonly previous_level: string;
  readonly state: 'firing' | 'resolved';
  readonly value: number;
  readonly threshold: number;
  readonly threshold_text?: string;
  readonly labels: Record<string, string>;
  readonly message?: string;
  readonly annotations?: Record<string, string>;
  /** Which start of the agent printed it (0 = the first). */
  readonly run: number;
}

/** One point line of the console exporter. */
export interface ConsolePoint {
  readonly time: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
  readonly partial?: true;
  readonly run: number;
}

export type StopSignal = 'SIGTERM' | 'SIGKILL';

/** Start-up of a Node process with SQLite on a loaded 2-core machine: seconds, not tens. */
const STARTED_TIMEOUT_MS = 30_000;
/** SIGTERM flushes within `service.shutdown_timeout`; past this bound the agent is killed and the test fails. */
const EXIT_TIMEOUT_MS = 30_000;

const live = new Set<CliRun>();
let exitHookInstalled = false;

export class Agent {
  readonly alerts: ConsoleAlert[] = [];
  readonly points: ConsolePoint[] = [];
  private current: CliRun | undefined;
  private runs = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly configFile: string,
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  /** The running CLI (its stderr lines, its child); throws when none runs. */
  get cli(): CliRun {
    if (this.current === undefined) throw new Error('the agent is not running');
    return this.current;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Which start is running now (0 = the first). */
  get run(): number {
    return this.runs - 1;
  }

  /** Starts the agent and resolves once it logged that it started. */
  async start(): Promise<void> {
    if (this.current !== undefined) throw new Error('the agent is already running');
    installExitHook();
    const run = this.runs;
    this.runs += 1;
    const cli = startCli(['run', '--config', this.configFile], { cwd: this.cwd, env: this.env });
    this.current = cli;
    live.add(cli);
    void cli.exited.then(() => live.delete(cli));
    cli.child.stdout!.on('data', () => this.collect(cli, run));
    await cli.waitForLine('stderr', (line) => line.includes('healthpipe started'), STARTED_TIMEOUT_MS);
  }

  /**
   * Sends `signal` to the agent's PID and resolves with its exit code once it exited
   * (null after SIGKILL). A SIGTERM that does not end it within the bound fails.
   */
  async stop(signal: StopSignal = 'SIGTERM'): Promise<number | null> {
    const cli = this.cli;
    const pid = cli.child.pid;
    if (pid === undefined) throw new Error('the agent has no PID');
    process.kill(pid, signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), EXIT_TIMEOUT_MS)));
    const outcome = await Promise.race([cli.exited, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      process.kill(pid, 'SIGKILL');
      await cli.exited;
      throw new Error(`the agent did not exit within ${EXIT_TIMEOUT_MS} ms of ${signal}; stderr:\n${cli.stderrLines.join('\n')}`);
    }
    this.collect(cli, this.run);
    this.current = undefined;
    return outcome;
  }

  /** Resolves with the first alert (of any run) that satisfies `test`. */
  waitForAlert(test: (alert: ConsoleAlert) => boolean, timeoutMs = 60_000): Promise<ConsoleAlert> {
    return this.waitFor(() => this.alerts.find(test), timeoutMs, 'alert');
  }

  /** Resolves with the first point (of any run) that satisfies `test`. */
  waitForPoint(test: (point: ConsolePoint) => boolean, timeoutMs = 60_000): Promise<ConsolePoint> {
    return this.waitFor(() => this.points.find(test), timeoutMs, 'point');
  }

  /** Resolves once `count` points satisfy `test`. */
  waitForPoints(test: (point: ConsolePoint) => boolean, count: number, timeoutMs = 60_000): Promise<ConsolePoint[]> {
    return this.waitFor(
      () => {
        const found = this.points.filter(test);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      `${count} points`,
    );
  }

  /** The running agent's stderr lines (its JSON logs), for failure messages. */
  stderr(): string {
    return this.current?.stderrLines.join('\n') ?? '(not running)';
  }

  private waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching ${what} in ${timeoutMs} ms; alerts so far:\n${this.alerts.map((a) => JSON.stringify(a)).join('\n')}\nstderr:\n${this.stderr()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Moves the complete stdout lines the CLI has gathered since the last call into alerts and points. */
  private collect(cli: CliRun, run: number): void {
    const lines = cli.stdoutLines.splice(0);
    if (lines.length === 0) return;
    for (const line of lines) {
      const record = parseJsonLine(line);
      if (record === undefined) continue;
      if (record['kind'] === 'alert') this.alerts.push({ ...(record as unknown as ConsoleAlert), run });
      else if (typeof record['name'] === 'string') this.points.push({ ...(record as unknown as ConsolePoint), run });
    }
    for (const listener of [...this.listeners]) listener();
  }
}

/** A test that fails or forgets to stop must not leave an agent behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const cli of live) cli.child.kill('SIGKILL');
  });
}
