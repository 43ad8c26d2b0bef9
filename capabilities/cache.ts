// A validator's memo of what it has already checked (ucan-wg/spec, "Memoized
// Validation"): token CIDs whose signatures verified, and for each invocation the
// parts of its chain check that depend only on content. Time, revocation and the
// executor's expectations are checked again on every call.

import { DEFAULT_CACHE_SIZE } from './constants.js'
import type { Delegation } from './interface.js'

/** The content-determined result of an invocation's chain check. */
export interface ChainSummary {
  /** The proofs, root first. */
  readonly proofs: readonly Delegation[]
  /** Proof ids, root first. */
  readonly proofIds: readonly string[]
  /** Issuers of the proofs, root first (for revocation scope). */
  readonly issuers: readonly string[]
  /** Latest `nbf` of the chain, or undefined. */
  readonly notBefore: number | undefined
  /** Earliest `exp` of the chain, or null. */
  readonly expiresAt: number | null
}

/** A bounded map that drops its oldest entry when full. */
class Bounded<V> {
  readonly #max: number
  readonly #map = new Map<string, V>()
  constructor (max: number) { this.#max = max }
  get (k: string): V | undefined { return this.#map.get(k) }
  has (k: string): boolean { return this.#map.has(k) }
  set (k: string, v: V): void {
    if (this.#map.size >= this.#max && !this.#map.has(k)) this.#map.delete(this.#map.keys().next().value as string)
    this.#map.set(k, v)
  }

  get size (): number { return this.#map.size }
  clear (): void { this.#map.clear() }
}

/** Verified signatures and chain summaries, keyed by token CID string. */
export class VerifiedCache {
  readonly #signatures: Bounded<true>
  readonly #chains: Bounded<ChainSummary>

  constructor (max: number = DEFAULT_CACHE_SIZE) {
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError('cache size must be a positive integer')
    this.#signatures = new Bounded(max)
    this.#chains = new Bounded(max)
  }

  /** True when the token's signature was verified before. */
  hasSignature (id: string): boolean { return this.#signatures.has(id) }
  /** Records a verified signature. */
  addSignature (id: string): void { this.#signatures.set(id, true) }
  /** The chain summary of an invocation checked before. */
  chain (id: string): ChainSummary | undefined { return this.#chains.get(id) }
  /** Records an invocation's chain summary. */
  setChain (id: string, summary: ChainSummary): void { this.#chains.set(id, summary) }
  /** Entries held (signatures + chains). */
  get size (): number { return this.#signatures.size + this.#chains.size }
  /** Forgets everything. */
  clear (): void { this.#signatures.clear(); this.#chains.clear() }
}
