import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { scheduleTargets } from '../../src/scheduling/index.js';

describe('the scheduler in the public API', () => {
  it('is exported for plugins, as the built-in receivers use it', () => {
    expect(api.scheduleTargets).toBe(scheduleTargets);
  });
});
