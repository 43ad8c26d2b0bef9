/**
 * A cli-progress bar for imports: bytes read, with conversations and
 * messages. Quiet (a no-op) when stderr is not a TTY or under `--json`.
 */
import cliProgress from 'cli-progress'
import type { ImportProgress } from './interface.js'

export interface ProgressBar {
  onProgress: (p: ImportProgress) => void
  stop: () => void
}

export interface ProgressBarInit {
  /** Label shown before the bar (the file name). */
  label?: string
  /** true under --json: render nothing. */
  quiet?: boolean
  stream?: NodeJS.WriteStream
}

function mb (n: number): string {
  return (n / 1048576).toFixed(1)
}

/** Creates a bar; pass `bar.onProgress` as the import's onProgress and call `bar.stop()` after. */
export function createProgressBar (init: ProgressBarInit = {}): ProgressBar {
  const stream = init.stream ?? process.stderr
  if (init.quiet === true || stream.isTTY !== true) return { onProgress: () => {}, stop: () => {} }
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${init.label ?? 'import'} [{bar}] {percentage}% | {mbDone}/{mbTotal} MB | {conversations} conversations, {messages} messages`,
    hideCursor: true,
    clearOnComplete: false
  }, cliProgress.Presets.shades_classic)
  let started = false
  return {
    onProgress (p) {
      const payload = { mbDone: mb(p.bytes), mbTotal: mb(p.total), conversations: p.conversations, messages: p.messages }
      if (!started) { bar.start(Math.max(1, p.total), 0, payload); started = true }
      bar.update(Math.min(p.bytes, Math.max(1, p.total)), payload)
    },
    stop () { if (started) bar.stop() }
  }
}
