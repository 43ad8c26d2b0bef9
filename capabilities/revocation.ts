// Revocation records and the store that validators consult.
//
// A revocation is itself a UCAN 1.0 invocation of `/ucan/revoke` (the command the
// spec reserves for it; ucan-wg/revocation): issued and subject-ed by the revoker,
// `args: { revoke: <CID of the delegation>, path?: [<CIDs>] }`, no expiry, empty
// nonce (revocation is idempotent). Being a token, a record is a dag-cbor block
// with a CID, so it travels with the capsule or circle it concerns, and any UCAN
// implementation can read it.
//
// Scope (ucan-wg/revocation, "Scope"): a record counts only when its issuer issued
// the revoked delegation or a delegation above it in the chain being checked; a
// record from anyone else is kept but never affects that chain. Records are
// accepted before the delegation they name is seen, and never retracted.

import { CID } from 'multiformats/cid'
import { INVOCATION_TAG, UCAN_REVOKE } from './constants.js'
import { InvalidSignature, MalformedToken } from './errors.js'
import { encodeEnvelope } from './envelope.js'
import { toToken } from './token.js'
import { createSignatureVerifier, verifyRecord, type SignatureVerifier } from './verify.js'
import { cidString, isMap, unknownKeys } from './_bytes.js'
import { nowSeconds } from './issue.js'
import type { Signer } from './identity.js'
import type { Invocation, Ipld, TokenInput } from './interface.js'

/** A decoded revocation record. */
export interface Revocation {
  /** The record (a `/ucan/revoke` invocation). */
  readonly token: Invocation
  /** Who revokes. */
  readonly revoker: string
  /** The revoked delegation. */
  readonly revoked: CID
}

/** Options of {@link createRevocation}. */
export interface RevocationOptions {
  issuer: Signer
  /** The delegation to revoke (its CID or the token). */
  revoke: CID | TokenInput
  /** Optional witness: a delegation path that includes the revoker and the revoked delegation. */
  path?: CID[]
  /** Optional human reason, kept in `meta`. */
  reason?: string
  issuedAt?: number
}

/**
 * Signs a revocation record.
 *
 * @example
 * ```ts
 * const rec = createRevocation({ issuer: owner, revoke: delegation.cid })
 * await validator.addRevocation(rec.token)
 * ```
 */
export function createRevocation (o: RevocationOptions): Revocation {
  const target = CID.asCID(o.revoke) ?? toToken(o.revoke).cid
  const args: Record<string, Ipld> = { revoke: target }
  if (o.path !== undefined) args.path = o.path
  const payload: Record<string, unknown> = {
    iss: o.issuer.did,
    sub: o.issuer.did,
    cmd: UCAN_REVOKE,
    args,
    nonce: new Uint8Array(0),
    exp: null,
    iat: o.issuedAt ?? nowSeconds(),
    prf: []
  }
  if (o.reason !== undefined) payload.meta = { reason: o.reason }
  return decodeRevocation(encodeEnvelope(o.issuer, INVOCATION_TAG, payload).bytes)
}

/**
 * Decodes a revocation record (shape only; {@link RevocationStore.add} verifies it).
 *
 * @throws {MalformedToken} when the bytes are not a `/ucan/revoke` record
 */
export function decodeRevocation (input: TokenInput): Revocation {
  const token = toToken(input)
  if (token.kind !== 'invocation') throw new MalformedToken('a revocation is an invocation')
  const p = token.payload
  if (p.cmd !== UCAN_REVOKE) throw new MalformedToken('a revocation invokes /ucan/revoke')
  if (p.iss !== p.sub) throw new MalformedToken('a revocation is issued by its subject')
  if (!isMap(p.args) || unknownKeys(p.args, ['revoke', 'path']).length > 0) throw new MalformedToken('bad revocation args')
  const revoked = CID.asCID(p.args.revoke)
  if (revoked === null) throw new MalformedToken('args.revoke must be a CID')
  const path = p.args.path
  if (path !== undefined && (!Array.isArray(path) || path.length > 64 || !path.every(c => CID.asCID(c) !== null))) throw new MalformedToken('args.path must be CIDs')
  return Object.freeze({ token, revoker: p.iss, revoked })
}

/**
 * A monotonically growing set of verified revocations. Share one between the
 * validators of a node; never a module-level singleton.
 */
export class RevocationStore {
  readonly #byTarget = new Map<string, Set<string>>()
  readonly #records = new Map<string, Revocation>()
  readonly #verifier: SignatureVerifier

  constructor (options: { verifier?: SignatureVerifier } = {}) {
    this.#verifier = options.verifier ?? createSignatureVerifier()
  }

  /**
   * Verifies and adds a record. Idempotent.
   *
   * @throws {MalformedToken} when it is not a revocation record
   * @throws {InvalidSignature} when its signature does not verify
   */
  async add (input: TokenInput | Revocation): Promise<Revocation> {
    const rev = isRevocation(input) ? decodeRevocation(input.token.bytes) : decodeRevocation(input)
    if (this.#records.has(rev.token.id)) return rev
    if (!await verifyRecord(this.#verifier, rev.revoker, rev.token)) throw new InvalidSignature('revocation signature does not verify')
    this.addUnsafe(rev)
    return rev
  }

  /** Adds a record whose signature the caller already verified (e.g. read back from our own disk). */
  addUnsafe (rev: Revocation): void {
    this.#records.set(rev.token.id, rev)
    const key = cidString(rev.revoked)
    let set = this.#byTarget.get(key)
    if (set === undefined) { set = new Set(); this.#byTarget.set(key, set) }
    set.add(rev.revoker)
  }

  /** The DIDs that revoked the delegation with this id (CID string), if any. */
  revokersOf (id: string): ReadonlySet<string> | undefined {
    return this.#byTarget.get(id)
  }

  /** True when someone revoked this delegation (whether or not in scope for a given chain). */
  has (cid: CID | string): boolean {
    return this.#byTarget.has(typeof cid === 'string' ? cid : cidString(cid))
  }

  /** Every record held, to publish alongside a capsule or circle. */
  records (): Revocation[] {
    return [...this.#records.values()]
  }

  /** Number of records. */
  get size (): number { return this.#records.size }
}

function isRevocation (x: unknown): x is Revocation {
  return x !== null && typeof x === 'object' && 'token' in x && 'revoker' in x && 'revoked' in x
}

/** A new, empty revocation store. */
export function createRevocationStore (options: { verifier?: SignatureVerifier } = {}): RevocationStore {
  return new RevocationStore(options)
}
