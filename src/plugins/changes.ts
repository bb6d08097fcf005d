/**
 * What a reload says when the configuration names other plugins than the running agent
 * loaded: plugins load at start only (a module cannot be unloaded, and its component types
 * are known before the configuration is checked), so the change waits for a restart.
 * Undefined when the list is the same.
 */
export function pluginChangeMessage(loaded: readonly string[], named: readonly string[]): string | undefined {
  const added = named.filter((plugin) => !loaded.includes(plugin));
  const removed = loaded.filter((plugin) => !named.includes(plugin));
  if (added.length === 0 && removed.length === 0) return undefined;
  const actions = [
    ...(added.length > 0 ? [`to load ${added.join(', ')}`] : []),
    ...(removed.length > 0 ? [`to unload ${removed.join(', ')}`] : []),
  ];
  return `plugins: changed; plugins load at start: restart healthpipe ${actions.join(' and ')}`;
}
