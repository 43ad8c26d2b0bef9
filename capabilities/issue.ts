// Issuing UCAN 1.0 delegations and invocations, and our capsule/circle subject model.
//
// Subject model. A UCAN subject MUST be a DID, and a chain MUST be rooted in a
// delegation whose issuer is its subject (ucan-wg/delegation, "Principal Alignment").
// A capsule id is a CID, not a DID, and cannot sign, so it cannot be a subject.
// The subject of a capsule capability is therefore the capsule owner's DID, and the
// capsule is named in the policy: `["==", ".capsule", "<capsule id>"]`, with
// invocations carrying `args.capsule`. Circles work the same way with `.circle`.
// This keeps our tokens valid for any UCAN 1.0 implementation (the policy language
// is standard) while one owner key roots every capsule it owns; a delegation without
// that statement covers all of the owner's capsules, as the owner intended.

import { CID } from 'multiformats/cid'
import { DEFAULT_INVOCATION_TTL, DELEGATION_TAG, INVOCATION_TAG, NONCE_BYTES } from './constants.js'
import { InvalidAudience, InvalidClaim, InvalidSubject } from './errors.js'
import { commandGrants, isCommand } from './command.js'
import { encodeEnvelope } from './envelope.js'
import { decodeDelegation, decodeInvocation, toToken } from './token.js'
import { randomBytes, isSafeInt } from './_bytes.js'
import type { Signer } from './identity.js'
import type { Delegation, Invocation, Ipld, TokenInput } from './interface.js'

/** Options of {@link delegate}. Times are Unix seconds. */
export interface DelegateOptions {
  issuer: Signer
  /** Who receives the capability. */
  audience: string
  /** The subject DID (a capsule's or circle's owner), or null for a powerline delegation. */
  subject: string | null
  command: string
  /** Extra policy statements (raw UCAN policy). */
  policy?: Ipld[]
  /** Restrict to one capsule: adds `["==", ".capsule", capsule]`. */
  capsule?: string
  /** Restrict to one circle: adds `["==", ".circle", circle]`. */
  circle?: string
  /** Expiry, or null for none (the default). */
  expiration?: number | null
  notBefore?: number
  meta?: Record<string, Ipld>
  nonce?: Uint8Array
  /** The chain this delegation extends, root first: checked so the new link never widens it. */
  proofs?: TokenInput[]
}

/** Options of {@link invoke}. Times are Unix seconds. */
export interface InvokeOptions {
  issuer: Signer
  /** The subject DID (the capsule's or circle's owner). */
  subject: string
  command: string
  args?: Record<string, Ipld>
  /** Sets `args.capsule`. */
  capsule?: string
  /** Sets `args.circle`. */
  circle?: string
  /** The delegations proving the claim, root first (their CIDs become `prf`). */
  proofs?: TokenInput[]
  /** The executor (e.g. the replica asked), when it is not the subject. */
  audience?: string
  /** Expiry; default now + 5 minutes; null for none. */
  expiration?: number | null
  /** Issued-at; default now. */
  issuedAt?: number
  meta?: Record<string, Ipld>
  nonce?: Uint8Array
  cause?: CID
}

/** Current Unix time in whole seconds. */
export function nowSeconds (): number {
  return Math.floor(Date.now() / 1000)
}

function checkTime (x: unknown, name: string): void {
  if (x !== undefined && x !== null && (!isSafeInt(x) || x < 0)) throw new TypeError(`${name} must be Unix seconds (a non-negative integer)`)
}

function checkDid (did: unknown, name: string): void {
  if (typeof did !== 'string' || !did.startsWith('did:')) {
    throw new TypeError(`${name} must be a DID; a capsule is named with \`capsule\`, its owner's DID is the subject`)
  }
}

function checkCommand (cmd: unknown): asserts cmd is string {
  if (!isCommand(cmd)) throw new TypeError(`not a UCAN command path: ${String(cmd).slice(0, 64)}`)
}

/** The policy statement that restricts a capability to one capsule. */
export function capsulePolicy (capsule: string): Ipld[] {
  return [['==', '.capsule', capsule]]
}

/**
 * Issues a delegation.
 *
 * @throws {TypeError} on malformed options
 * @throws {InvalidAudience} when `proofs` end with a delegation to someone other than the issuer
 * @throws {InvalidClaim} when the command is wider than the last proof's (a delegation never widens)
 * @throws {InvalidSubject} when the subject differs from the chain's
 * @example
 * ```ts
 * const d = delegate({ issuer: owner, audience: bob.did, subject: owner.did,
 *   command: CAPSULE_READ, capsule: capsuleId, expiration: nowSeconds() + 7 * 86400 })
 * ```
 */
export function delegate (o: DelegateOptions): Delegation {
  checkCommand(o.command)
  checkDid(o.audience, 'audience')
  if (o.subject !== null) checkDid(o.subject, 'subject')
  checkTime(o.expiration, 'expiration')
  checkTime(o.notBefore, 'notBefore')
  if (o.proofs !== undefined && o.proofs.length > 0) {
    const chain = o.proofs.map(p => toToken(p))
    const last = chain[chain.length - 1]
    if (last.kind !== 'delegation') throw new InvalidClaim('proofs must be delegations')
    if (last.payload.aud !== o.issuer.did) throw new InvalidAudience('the last proof is not delegated to this issuer')
    if (!commandGrants(last.payload.cmd, o.command)) throw new InvalidClaim('the command is wider than the proof grants')
    const root = chain[0]
    if (root.kind === 'delegation' && o.subject !== null && root.payload.sub !== o.subject) throw new InvalidSubject('subject differs from the chain\'s')
  }
  const pol: Ipld[] = [...(o.policy ?? [])]
  if (o.capsule !== undefined) pol.push(...capsulePolicy(o.capsule))
  if (o.circle !== undefined) pol.push(['==', '.circle', o.circle])
  const payload: Record<string, unknown> = {
    iss: o.issuer.did,
    aud: o.audience,
    sub: o.subject,
    cmd: o.command,
    pol,
    nonce: o.nonce ?? randomBytes(NONCE_BYTES),
    exp: o.expiration ?? null
  }
  if (o.notBefore !== undefined) payload.nbf = o.notBefore
  if (o.meta !== undefined) payload.meta = o.meta
  return decodeDelegation(encodeEnvelope(o.issuer, DELEGATION_TAG, payload).bytes)
}

/**
 * Issues an invocation: a request, signed by the invoker, to run `command` on the subject.
 *
 * @throws {TypeError} on malformed options
 * @example
 * ```ts
 * const inv = invoke({ issuer: bob, subject: owner.did, command: CAPSULE_READ,
 *   capsule: capsuleId, proofs: [d], audience: replica.did })
 * ```
 */
export function invoke (o: InvokeOptions): Invocation {
  checkCommand(o.command)
  checkDid(o.subject, 'subject')
  if (o.audience !== undefined) checkDid(o.audience, 'audience')
  checkTime(o.expiration, 'expiration')
  checkTime(o.issuedAt, 'issuedAt')
  const iat = o.issuedAt ?? nowSeconds()
  const args: Record<string, Ipld> = { ...(o.args ?? {}) }
  if (o.capsule !== undefined) args.capsule = o.capsule
  if (o.circle !== undefined) args.circle = o.circle
  const payload: Record<string, unknown> = {
    iss: o.issuer.did,
    sub: o.subject,
    cmd: o.command,
    args,
    nonce: o.nonce ?? randomBytes(NONCE_BYTES),
    exp: o.expiration === undefined ? iat + DEFAULT_INVOCATION_TTL : o.expiration,
    iat,
    prf: (o.proofs ?? []).map(p => toToken(p).cid)
  }
  if (o.audience !== undefined) payload.aud = o.audience
  if (o.meta !== undefined) payload.meta = o.meta
  if (o.cause !== undefined) payload.cause = o.cause
  return decodeInvocation(encodeEnvelope(o.issuer, INVOCATION_TAG, payload).bytes)
}
