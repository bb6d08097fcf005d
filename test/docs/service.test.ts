import { describe, expect, it } from 'vitest';
import { serviceSchema } from '../../src/config/schema.js';
import { describeOptions } from '../../src/docs/options.js';
import { renderServiceText } from '../../src/docs/text.js';

describe('the service settings in `healthpipe components`', () => {
  const text = renderServiceText(serviceSchema);

  it('lists each setting with its type, default and description, from the schema', () => {
    expect(text).toMatch(/^service:\n/);
    expect(text).toContain('    data_dir (string, default ./data)\n        The one store');
    expect(text).toContain('    telemetry.logs.level (\'debug\' | \'info\' | \'warn\' | \'error\', default info)\n');
    expect(text).toContain('    telemetry.metrics.interval (duration, default 15s)\n');
    expect(text).toContain('    shutdown_timeout (duration, default 10s)\n        How long stopping may take');
    expect(text).toContain('    exporter_queue_size (integer, default 100000)\n');
    expect(text).toContain('    extensions (list of string, default [])\n');
  });

  it("documents each pipeline's lists under a placeholder id, and sections that may be left out as optional", () => {
    expect(text).toContain('    pipelines (map of object, default {})\n');
    for (const list of ['receivers', 'processors', 'exporters']) {
      expect(text).toContain(`    pipelines.<id>.${list} (list of string, default [])\n`);
    }
    expect(text).toContain('    telemetry (object, default {})\n');
    expect(text).not.toContain('required');
  });

  it('describes every setting', () => {
    const undescribed = describeOptions(serviceSchema).filter((option) => option.description === '' && !/^telemetry\.(logs|metrics)$/.test(option.path));
    expect(undescribed).toEqual([]);
  });
});
