/** How a command prints: JSON (one document) or lines for people. */
export interface Output {
  json: boolean
  /** Prints a result: `value` as JSON under --json, else `human(value)`. */
  result: <T>(value: T, human: (v: T) => string) => void
  /** Progress or notes for people: stderr, silent under --json. */
  note: (line: string) => void
}

export function createOutput (json: boolean): Output {
  return {
    json,
    result (value, human) {
      process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : ensureNewline(human(value)))
    },
    note (line) {
      if (!json) process.stderr.write(ensureNewline(line))
    }
  }
}

function ensureNewline (s: string): string {
  return s.length === 0 || s.endsWith('\n') ? s : s + '\n'
}

/** A failure the CLI reports as one line with this exit code. */
export class CliError extends Error {
  static override name = 'CliError'
  override name = 'CliError'
  readonly exitCode: number
  constructor (message: string, exitCode = 1) {
    super(message)
    this.exitCode = exitCode
  }
}

/** Reads all of stdin as UTF-8 (for `vivim put` without a text argument). */
export async function readStdin (): Promise<string> {
  if (process.stdin.isTTY === true) throw new CliError('no text given: pass it as an argument or pipe it on stdin', 2)
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Parses `k=v` tag options. */
export function parseTags (pairs: string[] | undefined): Record<string, string> | undefined {
  if (pairs == null || pairs.length === 0) return undefined
  const out: Record<string, string> = {}
  for (const p of pairs) {
    const i = p.indexOf('=')
    if (i <= 0) throw new CliError(`--tag expects key=value, got "${p}"`, 2)
    out[p.slice(0, i)] = p.slice(i + 1)
  }
  return out
}

/** Parses a time option: ms, an ISO date, or a relative duration like 7d (from now). */
export function parseTime (value: string, flag: string): number {
  if (/^\d+$/.test(value)) return Number(value)
  const t = Date.parse(value)
  if (Number.isNaN(t)) throw new CliError(`${flag} expects ms since the epoch or an ISO date, got "${value}"`, 2)
  return t
}

/** Parses `--as-of`: a commit CID stays a string, anything else is a time. */
export function parseAsOf (value: string | undefined): string | number | undefined {
  if (value === undefined) return undefined
  if (/^b[a-z2-7]{20,}$/.test(value)) return value
  return parseTime(value, '--as-of')
}

export function collect (value: string, previous: string[] = []): string[] {
  return [...previous, value]
}
