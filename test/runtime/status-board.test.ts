import { describe, expect, it } from 'vitest';
import { ComponentStatusBoard, MAX_STATUS_MESSAGE_LENGTH } from '../../src/runtime/status-board.js';

describe('ComponentStatusBoard', () => {
  it('keeps an error as one cleaned line of bounded length', () => {
    const board = new ComponentStatusBoard(() => 5, (message) => message.replaceAll('hunter2', '***'));
    board.set('otlp', 'exporter', 'failed', { error: `password hunter2 refused: ${'x'.repeat(1000)}\n    at stack frame` });
    const message = board.get('otlp')!.lastError!.message;
    expect(message.startsWith('password *** refused: xxx')).toBe(true);
    expect(message).toHaveLength(MAX_STATUS_MESSAGE_LENGTH);
    expect(message).not.toContain('stack frame');
  });

  it('says stopped as its last change when a component is removed, then no longer lists it', () => {
    const board = new ComponentStatusBoard(() => 0);
    const changes: string[] = [];
    board.changes$.subscribe((status) => changes.push(`${status.id} ${status.state}`));
    board.set('console', 'exporter', 'running');
    board.remove('console');
    board.remove('console');
    expect(changes).toEqual(['console running', 'console stopped']);
    expect(board.list()).toEqual([]);
  });
});
