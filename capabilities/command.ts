// UCAN command paths (ucan-wg/spec, "Command" → "Segment Structure").

/**
 * True when `cmd` is a syntactically valid UCAN command: it begins with `/`,
 * segments are separated by single slashes, no trailing slash (except `/` itself),
 * no empty segment, and it is lowercase.
 */
export function isCommand (cmd: unknown): cmd is string {
  if (typeof cmd !== 'string' || cmd.length === 0 || cmd.length > 1024 || cmd[0] !== '/') return false
  if (cmd === '/') return true
  if (cmd.endsWith('/') || cmd.includes('//')) return false
  return cmd === cmd.toLowerCase()
}

/**
 * True when a delegation of `granted` proves `wanted`, matching whole segments:
 * `/` proves everything, `/crypto` proves `/crypto` and `/crypto/sign` but never
 * `/cryptocurrency` (spec: "shorter Commands prove longer paths").
 */
export function commandGrants (granted: string, wanted: string): boolean {
  if (granted === '/') return true
  if (wanted === granted) return true
  return wanted.length > granted.length && wanted.startsWith(granted) && wanted.charCodeAt(granted.length) === 0x2f /* '/' */
}
