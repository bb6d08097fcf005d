import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { PidusageBackend } from '../../../receivers/process/pidusage-backend.js';

const { clear } = vi.hoisted(() => ({ clear: vi.fn() }));
vi.mock('pidusage', () => ({ default: Object.assign(vi.fn(() => Promise.resolve({})), { clear }) }));

/** pidusage's history differs by platform; the backend decides when it closes. */
function onPlatform(platform: NodeJS.Platform): void {
  const original = Object.getOwnPropertyDescriptor(process, 'platform')!;
  Object.defineProperty(process, 'platform', { ...original, value: platform });
  onTestFinished(() => {
    Object.defineProperty(process, 'platform', original);
  });
}

describe('PidusageBackend.close', () => {
  beforeEach(() => clear.mockClear());

  it("clears pidusage's module-wide history once the last open backend closes", () => {
    onPlatform('darwin');
    const first = new PidusageBackend(() => 0, 15_000);
    const second = new PidusageBackend(() => 0, 15_000);
    first.close();
    first.close();
    expect(clear).not.toHaveBeenCalled();
    second.close();
    expect(clear).toHaveBeenCalledTimes(1);
  });

  it('leaves the history to expire where its entries hold /proc descriptors that clear() would not close', () => {
    onPlatform('linux');
    new PidusageBackend(() => 0, 15_000).close();
    expect(clear).not.toHaveBeenCalled();
  });

  it('reads nothing once closed', async () => {
    const backend = new PidusageBackend(() => 0, 15_000);
    backend.close();
    expect(await backend.read([process.pid])).toEqual([]);
  });
});
