// Locates the shared UCAN 1.0 fixtures (never copied into the repository).
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// test/capabilities/ → repository root is ../../; the shared folder sits beside it.
const candidates = [
  new URL('../../../shared/fixtures/ucan/1.0.0/', import.meta.url),
  new URL('file:///work/shared/fixtures/ucan/1.0.0/')
]

/** The fixture folder, or undefined (with the reason) when it is absent. */
export const fixtureDir: URL | undefined = candidates.find(u => existsSync(fileURLToPath(u)))
export const fixtureMissingReason = `UCAN fixtures not found at ${candidates.map(u => fileURLToPath(u)).join(' or ')}: skipping the conformance suite`

/** Reads and parses one fixture file. */
export function readFixture<T = any> (name: string): T {
  if (fixtureDir === undefined) throw new Error(fixtureMissingReason)
  return JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8')) as T
}

/** Standard base64, with or without padding. */
export function fromBase64 (s: string): Uint8Array {
  const clean = s.replace(/=+$/, '')
  const padded = clean + '='.repeat((4 - (clean.length % 4)) % 4)
  return Uint8Array.from(atob(padded), c => c.charCodeAt(0))
}
