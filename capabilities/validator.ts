// The UCAN 1.0 chain check, read top to bottom against ucan-wg/delegation
// ("Token Validation") and ucan-wg/invocation ("Validation").
//
// An invocation lists its proofs root first (as the 1.0.0 fixtures do):
//
//   prf[0]      iss = sub (root authority)   aud → prf[1].iss
//   prf[i]      sub = root sub or null (powerline)   aud → prf[i+1].iss
//   prf[n-1]    aud = invocation iss
//   invocation  sub = root sub; with no proofs, iss = sub
//
// Checks run in this order, and the first failure is thrown:
//   1. every proof available (UnavailableProof) and a delegation (InvalidClaim)
//   2. every signature (InvalidSignature), from the verified-proof cache when known
//   3. time bounds of every token (TooEarly, Expired)
//   4. subject alignment and root authority (InvalidSubject, InvalidClaim)
//   5. principal alignment, aud → next iss (InvalidAudience)
//   6. commands by whole segments, never widening down the chain (InvalidClaim)
//   7. every delegation's policy over the invocation's args (MatchError)
//   8. revocation in scope (Revoked), then the executor's expectations
//      (subject, command, audience, capsule; InvalidSubject, InvalidClaim, InvalidAudience)
// Steps 4–7 depend only on content, so their outcome is memoised per invocation CID;
// time, revocation and expectations are checked on every call.

import type { CID } from 'multiformats/cid'
import { VerifiedCache, type ChainSummary } from './cache.js'
import { MAX_PROOFS } from './constants.js'
import { commandGrants } from './command.js'
import { Expired, InvalidAudience, InvalidClaim, InvalidSignature, InvalidSubject, MalformedToken, MatchError, Replayed, Revoked, TooEarly, UnavailableProof } from './errors.js'
import { matchPolicy } from './policy.js'
import { RevocationStore } from './revocation.js'
import { toToken } from './token.js'
import { createSignatureVerifier, verifyRecord, type SignatureVerifier } from './verify.js'
import { cidString, own } from './_bytes.js'
import type { Delegation, Invocation, Ipld, ProofResolver, Token, TokenInput, ValidatedChain, ValidatedInvocation } from './interface.js'

/** Options of {@link createValidator}. */
export interface ValidatorInit {
  /** The clock, in Unix seconds (default: the system clock). */
  now?: () => number
  /** Revocations to honour (default: a new, empty store). */
  revocations?: RevocationStore
  /** The verified-proof cache: false for none, a size, or a cache to share. Default: 10,000 entries. */
  cache?: boolean | number | VerifiedCache
  /** Finds proofs not passed with the invocation (e.g. in the node's blockstore). */
  resolve?: ProofResolver
  verifier?: SignatureVerifier
}

/** What the executor expects of an invocation. */
export interface InvocationCheck {
  /** Proofs supplied with the invocation (any order; matched by CID). */
  proofs?: Iterable<TokenInput>
  /** The subject DID the executor serves (e.g. the capsule owner). */
  subject?: string
  /** The command about to run; the invocation's command must be it or a parent of it. */
  command?: string
  /** The executor's own DID: the invocation must be addressed to it (`aud`, or `sub` when absent). */
  audience?: string
  /** The capsule the executor is about to serve: `args.capsule` must name it. */
  capsule?: string
  /** The circle: `args.circle` must name it. */
  circle?: string
  /** Time of the check (Unix seconds), overriding the validator's clock. */
  now?: number
  /** Refuse an invocation this validator has accepted before (replay guard). */
  once?: boolean
}

/** What a holder expects of a delegation chain. */
export interface ChainCheck {
  /** The holder: the last delegation's audience. */
  audience?: string
  subject?: string
  /** A command the chain must grant. */
  command?: string
  /** Arguments an invocation would carry: every policy must accept them. */
  args?: Record<string, Ipld>
  now?: number
}

/** Replay set: prune expired entries from this size; never hold more than SEEN_MAX. */
const SEEN_PRUNE_AT = 10_000
const SEEN_MAX = 100_000
/** Most proofs accepted alongside one invocation (twice the most it may name). */
const MAX_SUPPLIED_PROOFS = 2 * MAX_PROOFS

function sameDid (a: string | null, b: string | null): boolean {
  if (a === b) return true
  if (a === null || b === null) return false
  // Principal alignment ignores DID fragments (ucan-wg/delegation, "Principal Alignment").
  const ha = a.indexOf('#')
  const hb = b.indexOf('#')
  return (ha < 0 ? a : a.slice(0, ha)) === (hb < 0 ? b : b.slice(0, hb))
}

function checkTime (s: { notBefore: number | undefined, expiresAt: number | null }, now: number): void {
  // Spec ("Time Bounds"): invalid before nbf or after exp.
  if (s.expiresAt !== null && now > s.expiresAt) throw new Expired(`expired at ${s.expiresAt}`)
  if (s.notBefore !== undefined && now < s.notBefore) throw new TooEarly(`not valid before ${s.notBefore}`)
}

function timeBounds (tokens: readonly Token[]): { notBefore: number | undefined, expiresAt: number | null } {
  let notBefore: number | undefined
  let expiresAt: number | null = null
  for (const t of tokens) {
    const nbf = t.kind === 'delegation' ? t.payload.nbf : undefined
    if (nbf !== undefined && (notBefore === undefined || nbf > notBefore)) notBefore = nbf
    if (t.payload.exp !== null && (expiresAt === null || t.payload.exp < expiresAt)) expiresAt = t.payload.exp
  }
  return { notBefore, expiresAt }
}

/** Steps 4–6 for a chain of delegations (root first) whose subject is `subject`. */
function checkDelegations (chain: readonly Delegation[], subject: string): void {
  const root = chain[0]
  if (root.payload.sub === null) throw new InvalidClaim('a powerline delegation (sub: null) cannot be the root')
  if (!sameDid(root.payload.sub, subject)) throw new InvalidSubject('the root delegation is for another subject')
  for (const d of chain) {
    if (d.payload.sub !== null && !sameDid(d.payload.sub, subject)) throw new InvalidSubject('the subject changes along the chain')
  }
  if (!sameDid(root.payload.iss, root.payload.sub)) throw new InvalidClaim('the root issuer has no authority over the subject')
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!sameDid(chain[i].payload.aud, chain[i + 1].payload.iss)) throw new InvalidAudience('a delegation is not issued by the audience of its proof')
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!commandGrants(chain[i].payload.cmd, chain[i + 1].payload.cmd)) throw new InvalidClaim('a delegation widens the command it was given')
  }
}

/** A UCAN validator: state (cache, revocations, replay set) lives on the object. */
export class Validator {
  readonly revocations: RevocationStore
  readonly cache: VerifiedCache | undefined
  readonly #now: () => number
  readonly #resolve: ProofResolver | undefined
  readonly #verifier: SignatureVerifier
  readonly #seen = new Map<string, number | null>()

  constructor (init: ValidatorInit = {}) {
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
    this.#verifier = init.verifier ?? createSignatureVerifier()
    this.revocations = init.revocations ?? new RevocationStore({ verifier: this.#verifier })
    this.#resolve = init.resolve
    const c = init.cache ?? true
    this.cache = c === false ? undefined : c === true ? new VerifiedCache() : typeof c === 'number' ? new VerifiedCache(c) : c
  }

  /**
   * Checks an invocation and its proof chain.
   *
   * @throws {MalformedToken} {UnavailableProof} {InvalidSignature} {Expired} {TooEarly} {InvalidSubject}
   * {InvalidAudience} {InvalidClaim} {MatchError} {Revoked} {Replayed}, named as in the UCAN fixtures
   * @example
   * ```ts
   * const ok = await validator.validateInvocation(bytes, { proofs, subject: owner, command: CAPSULE_READ, capsule })
   * ```
   */
  async validateInvocation (token: TokenInput, check: InvocationCheck = {}): Promise<ValidatedInvocation> {
    const inv = toToken(token)
    if (inv.kind !== 'invocation') throw new MalformedToken('expected an invocation')
    const now = check.now ?? this.#now()
    let summary = this.cache?.chain(inv.id)
    if (summary === undefined) {
      const proofs = await this.#proofsOf(inv, check.proofs)
      await this.#verifySignatures([inv, ...proofs])
      const bounds = timeBounds([...proofs, inv])
      checkTime(bounds, now)
      summary = this.#checkInvocationChain(inv, proofs, bounds)
      this.cache?.setChain(inv.id, summary)
    } else {
      checkTime(summary, now)
    }
    this.#checkRevoked(summary)
    this.#checkExpectations(inv, check)
    if (check.once === true) this.#markSeen(inv, now)
    const result: ValidatedInvocation = {
      invocation: inv,
      proofs: summary.proofs,
      issuer: inv.payload.iss,
      subject: inv.payload.sub,
      command: inv.payload.cmd,
      args: inv.payload.args,
      expiresAt: summary.expiresAt
    }
    return result
  }

  /**
   * Checks a chain of delegations (root first) that a holder keeps, e.g. before
   * using or listing a share.
   *
   * @throws the same errors as {@link validateInvocation}
   */
  async validateChain (chain: Iterable<TokenInput>, check: ChainCheck = {}): Promise<ValidatedChain> {
    const tokens = [...chain].map(t => toToken(t))
    if (tokens.length === 0) throw new InvalidClaim('an empty chain grants nothing')
    for (const t of tokens) if (t.kind !== 'delegation') throw new MalformedToken('a chain holds delegations only')
    const dels = tokens as Delegation[]
    await this.#verifySignatures(dels)
    const bounds = timeBounds(dels)
    checkTime(bounds, check.now ?? this.#now())
    const subject = dels[0].payload.sub
    if (subject === null) throw new InvalidClaim('a powerline delegation (sub: null) cannot be the root')
    checkDelegations(dels, subject)
    this.#checkRevoked({ proofIds: dels.map(d => d.id), issuers: dels.map(d => d.payload.iss) })
    const last = dels[dels.length - 1]
    if (check.audience !== undefined && !sameDid(last.payload.aud, check.audience)) throw new InvalidAudience('the chain is delegated to someone else')
    if (check.subject !== undefined && !sameDid(subject, check.subject)) throw new InvalidSubject('the chain is for another subject')
    if (check.command !== undefined && !commandGrants(last.payload.cmd, check.command)) throw new InvalidClaim('the chain does not grant this command')
    if (check.args !== undefined) {
      for (const d of dels) if (!matchPolicy(d.policy, check.args)) throw new MatchError('the arguments fail a policy of the chain')
    }
    return { chain: dels, audience: last.payload.aud, subject, command: last.payload.cmd, expiresAt: bounds.expiresAt }
  }

  /**
   * Verifies and records a revocation (see {@link RevocationStore.add}).
   */
  async addRevocation (record: TokenInput): Promise<void> {
    await this.revocations.add(record)
  }

  async #proofsOf (inv: Invocation, supplied: Iterable<TokenInput> | undefined): Promise<Delegation[]> {
    const byId = new Map<string, Token>()
    if (supplied !== undefined) {
      for (const p of supplied) {
        // Proofs come from peers: bound the work before decoding them.
        if (byId.size >= MAX_SUPPLIED_PROOFS) throw new MalformedToken('too many proofs supplied')
        const t = toToken(p)
        byId.set(t.id, t)
      }
    }
    const out: Delegation[] = []
    for (const cid of inv.payload.prf) {
      const id = cidString(cid)
      let t = byId.get(id)
      if (t === undefined && this.#resolve !== undefined) t = await this.#resolveProof(cid, id)
      if (t === undefined) throw new UnavailableProof(`proof ${id} is not available`)
      if (t.kind !== 'delegation') throw new InvalidClaim('a proof must be a delegation')
      out.push(t)
    }
    return out
  }

  async #resolveProof (cid: CID, id: string): Promise<Token | undefined> {
    let found: TokenInput | undefined
    try {
      found = await this.#resolve?.(cid)
    } catch {
      return undefined
    }
    if (found === undefined) return undefined
    const t = toToken(found)
    return t.id === id ? t : undefined // a resolver that returns the wrong block resolves nothing
  }

  async #verifySignatures (tokens: readonly Token[]): Promise<void> {
    const cache = this.cache
    const pending: Array<Promise<boolean>> = []
    const ids: string[] = []
    for (const t of tokens) {
      if (cache?.hasSignature(t.id) === true) continue
      pending.push(verifyRecord(this.#verifier, t.payload.iss, t))
      ids.push(t.id)
    }
    if (pending.length === 0) return
    const results = await Promise.all(pending)
    for (let i = 0; i < results.length; i++) {
      if (!results[i]) throw new InvalidSignature(`signature of ${ids[i]} does not verify`)
    }
    if (cache !== undefined) for (const id of ids) cache.addSignature(id)
  }

  #checkInvocationChain (inv: Invocation, proofs: Delegation[], bounds: { notBefore: number | undefined, expiresAt: number | null }): ChainSummary {
    const p = inv.payload
    if (proofs.length === 0) {
      // Self-issued: the subject invokes on itself.
      if (!sameDid(p.iss, p.sub)) throw new InvalidClaim('no proof gives the issuer authority over the subject')
    } else {
      checkDelegations(proofs, p.sub)
      if (!sameDid(proofs[proofs.length - 1].payload.aud, p.iss)) throw new InvalidAudience('the last proof is delegated to someone other than the invoker')
      for (const d of proofs) {
        if (!commandGrants(d.payload.cmd, p.cmd)) throw new InvalidClaim('the chain does not grant the invoked command')
      }
      for (const d of proofs) {
        if (!matchPolicy(d.policy, p.args)) throw new MatchError('the arguments fail a delegated policy')
      }
    }
    return { proofs, proofIds: proofs.map(d => d.id), issuers: proofs.map(d => d.payload.iss), ...bounds }
  }

  #checkRevoked (s: Pick<ChainSummary, 'proofIds' | 'issuers'>): void {
    if (this.revocations.size === 0) return
    for (let i = 0; i < s.proofIds.length; i++) {
      const revokers = this.revocations.revokersOf(s.proofIds[i])
      if (revokers === undefined) continue
      // In scope: revoked by the issuer of this delegation or of one above it.
      for (let j = 0; j <= i; j++) {
        for (const r of revokers) if (sameDid(r, s.issuers[j])) throw new Revoked(`delegation ${s.proofIds[i]} was revoked`)
      }
    }
  }

  #checkExpectations (inv: Invocation, check: InvocationCheck): void {
    const p = inv.payload
    if (check.subject !== undefined && !sameDid(p.sub, check.subject)) throw new InvalidSubject('the invocation is for another subject')
    if (check.audience !== undefined && !sameDid(p.aud ?? p.sub, check.audience)) throw new InvalidAudience('the invocation is addressed to another executor')
    if (check.command !== undefined && !commandGrants(p.cmd, check.command)) throw new InvalidClaim('the invocation is for another command')
    if (check.capsule !== undefined && own(p.args, 'capsule') !== check.capsule) throw new InvalidSubject('the invocation is for another capsule')
    if (check.circle !== undefined && own(p.args, 'circle') !== check.circle) throw new InvalidSubject('the invocation is for another circle')
  }

  #markSeen (inv: Invocation, now: number): void {
    if (this.#seen.has(inv.id)) throw new Replayed(`invocation ${inv.id} was already used`)
    // Forget entries whose invocation has expired: they can no longer be replayed.
    if (this.#seen.size >= SEEN_PRUNE_AT) {
      for (const [id, exp] of this.#seen) if (exp !== null && exp < now) this.#seen.delete(id)
    }
    // Still full: drop the oldest. Only invocations without `exp` can be affected,
    // which is why invocations used with `once` should expire (invoke() sets 5 minutes).
    while (this.#seen.size >= SEEN_MAX) this.#seen.delete(this.#seen.keys().next().value as string)
    this.#seen.set(inv.id, inv.payload.exp)
  }
}

/**
 * A new validator. Each holds its own cache and replay set; pass a shared
 * {@link RevocationStore} to make several honour the same revocations.
 *
 * @example
 * ```ts
 * const validator = createValidator({ revocations: store })
 * await validator.validateInvocation(inv, { proofs: [d], subject: owner.did, command: CAPSULE_READ })
 * ```
 */
export function createValidator (init: ValidatorInit = {}): Validator {
  return new Validator(init)
}

/**
 * One-shot check with a fresh validator (no cache, no revocations unless given).
 * Prefer a long-lived {@link Validator} in a node.
 */
export async function validateInvocation (token: TokenInput, check: InvocationCheck & { revocations?: RevocationStore } = {}): Promise<ValidatedInvocation> {
  return await new Validator({ cache: false, revocations: check.revocations }).validateInvocation(token, check)
}
