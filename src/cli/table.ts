// A plain-text table for terminal summaries. Columns are right-aligned (numbers)
// unless `left` names them; the first column is always left-aligned.
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], left: readonly number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 || left.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
