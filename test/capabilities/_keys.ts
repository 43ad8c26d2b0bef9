// Deterministic test identities: keys come from seeds, never from the clock or Math.random.
import { sha256 } from '@noble/hashes/sha2.js'
import { Ed25519Key } from '../../capabilities/index.js'

/** The Ed25519 key whose seed is SHA-256("vivim-test/" + name). */
export function testKey (name: string): Ed25519Key {
  return Ed25519Key.fromSecret(sha256(new TextEncoder().encode(`vivim-test/${name}`)))
}

/** A fixed "now" for token tests (2026-01-01T00:00:00Z). */
export const NOW = 1_767_225_600

/** Deterministic bytes for nonces: SHA-256 of a label, cut to `n`. */
export function seeded (label: string, n = 16): Uint8Array {
  return sha256(new TextEncoder().encode(label)).slice(0, n)
}

/** The rejection's error, or undefined when the promise resolves. */
export async function errorOf (p: Promise<unknown>): Promise<Error | undefined> {
  try {
    await p
    return undefined
  } catch (e) {
    return e as Error
  }
}

/** The name of the error a synchronous call throws (undefined when it returns). */
export function nameOf (f: () => unknown): string | undefined {
  try { f(); return undefined } catch (e) { return (e as Error).name }
}
