import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'

/** Median of a list of numbers. */
export function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile (xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}

/** Writes a benchmark's results as JSON under bench-results/. */
export async function writeResults (name: string, results: unknown): Promise<void> {
  await mkdir('bench-results', { recursive: true })
  await writeFile(`bench-results/${name}.json`, JSON.stringify({ name, node: process.version, date: new Date().toISOString(), results }, null, 2))
}

/**
 * This process's anonymous resident memory in KiB (Linux; 0 elsewhere). RSS also counts
 * LevelDB's memory-mapped table files, clean page cache the kernel can take back; the
 * anonymous part is the memory the work itself needs.
 */
export function anonKB (): number {
  try { return Number(/RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) } catch { return 0 }
}
