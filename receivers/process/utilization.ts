/**
 * CPU utilization between two scrapes of the same process: CPU seconds used over the CPU
 * seconds available, i.e. elapsed time × cores, so a process busy on every core reads 1
 * (the ancestor forgot the division). Undefined when there is no interval to divide by.
 */
export function cpuUtilization(cpuSecondsDelta: number, elapsedMs: number, cores: number): number | undefined {
  if (!(elapsedMs > 0) || !(cores > 0) || !(cpuSecondsDelta >= 0)) return undefined;
  const share = cpuSecondsDelta / ((elapsedMs / 1000) * cores);
  // Clock-tick rounding can push a fully busy process a little over 1.
  return share > 1 ? 1 : share;
}
