/** Short enough for a column, exact for integers: 0.1235, 12.35, 1234.6, 123456789. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1000) return String(Math.round(value * 10) / 10);
  return String(Number(value.toPrecision(4)));
}
