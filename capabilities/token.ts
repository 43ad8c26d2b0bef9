// Decoding UCAN 1.0 delegations and invocations: envelope, then a strict payload
// check against the field tables of ucan-wg/delegation and ucan-wg/invocation.
// Decoding proves shape only; signatures and chains are the validator's job.

import { CID } from 'multiformats/cid'
import { DELEGATION_TAGS, INVOCATION_TAGS, MAX_PROOFS, MAX_TOKEN_BYTES } from './constants.js'
import { MalformedToken } from './errors.js'
import { decodeEnvelope, type RawEnvelope } from './envelope.js'
import { isCommand } from './command.js'
import { parsePolicy } from './policy.js'
import { cidString, isBytes, isMap, isSafeInt, unknownKeys } from './_bytes.js'
import type { Delegation, DelegationPayload, Invocation, InvocationPayload, Ipld, Token, TokenInput } from './interface.js'

const ALL_TAGS = [...DELEGATION_TAGS, ...INVOCATION_TAGS]
// Tokens this copy of the module decoded or issued: their fields are known to match
// their bytes. A token-shaped object from anywhere else is re-decoded from its bytes.
// (A WeakSet of immutable values, not a registry: it holds no per-node state.)
const trusted = new WeakSet<object>()
const DELEGATION_FIELDS = ['iss', 'aud', 'sub', 'cmd', 'pol', 'nonce', 'meta', 'nbf', 'exp']
const INVOCATION_FIELDS = ['iss', 'sub', 'aud', 'cmd', 'args', 'meta', 'nonce', 'exp', 'iat', 'prf', 'cause']

function bad (why: string): never {
  throw new MalformedToken(why)
}

function did (x: unknown, field: string): string {
  if (typeof x !== 'string' || !x.startsWith('did:') || x.length > 2048) bad(`${field} must be a DID`)
  return x
}

function time (x: unknown, field: string): number {
  if (!isSafeInt(x) || x < 0) bad(`${field} must be a non-negative 53-bit integer`)
  return x
}

function optionalMap (x: unknown, field: string): Record<string, Ipld> | undefined {
  if (x === undefined) return undefined
  if (!isMap(x)) bad(`${field} must be a map`)
  return x as Record<string, Ipld>
}

function link (x: unknown, field: string): CID {
  const cid = CID.asCID(x)
  if (cid === null) bad(`${field} must be a CID`)
  return cid
}

function commonFields (p: Record<string, unknown>): { iss: string, cmd: string, nonce: Uint8Array, exp: number | null, meta?: Record<string, Ipld> } {
  if (!isCommand(p.cmd)) bad('cmd must be a command path')
  if (!isBytes(p.nonce)) bad('nonce must be bytes')
  if (!Object.hasOwn(p, 'exp')) bad('exp is required (null for none)')
  const out = { iss: did(p.iss, 'iss'), cmd: p.cmd, nonce: p.nonce, exp: p.exp === null ? null : time(p.exp, 'exp') }
  const meta = optionalMap(p.meta, 'meta')
  return meta === undefined ? out : { ...out, meta }
}

function delegationFrom (env: RawEnvelope): Delegation {
  const p = env.payload
  if (!isMap(p)) bad('payload must be a map')
  if (unknownKeys(p, DELEGATION_FIELDS).length > 0) bad('unknown delegation field')
  const common = commonFields(p)
  if (!Object.hasOwn(p, 'sub')) bad('sub is required (null for powerline)')
  if (!Array.isArray(p.pol)) bad('pol must be an array')
  const policy = parsePolicy(p.pol)
  const payload: DelegationPayload = {
    ...common,
    aud: did(p.aud, 'aud'),
    sub: p.sub === null ? null : did(p.sub, 'sub'),
    pol: p.pol as Ipld[],
    ...(p.nbf === undefined ? {} : { nbf: time(p.nbf, 'nbf') })
  }
  return remember(Object.freeze({ kind: 'delegation', ...envelopeFields(env), payload: Object.freeze(payload), policy }))
}

function invocationFrom (env: RawEnvelope): Invocation {
  const p = env.payload
  if (!isMap(p)) bad('payload must be a map')
  if (unknownKeys(p, INVOCATION_FIELDS).length > 0) bad('unknown invocation field')
  const common = commonFields(p)
  const args = optionalMap(p.args, 'args')
  if (args === undefined) bad('args is required')
  if (!Array.isArray(p.prf) || p.prf.length > MAX_PROOFS) bad('prf must be an array of at most 64 CIDs')
  const payload: InvocationPayload = {
    ...common,
    sub: did(p.sub, 'sub'),
    args,
    prf: Object.freeze(p.prf.map((c: unknown) => link(c, 'prf'))),
    ...(p.aud === undefined ? {} : { aud: did(p.aud, 'aud') }),
    ...(p.iat === undefined ? {} : { iat: time(p.iat, 'iat') }),
    ...(p.cause === undefined ? {} : { cause: link(p.cause, 'cause') })
  }
  return remember(Object.freeze({ kind: 'invocation', ...envelopeFields(env), payload: Object.freeze(payload) }))
}

function remember<T extends object> (t: T): T {
  trusted.add(t)
  return t
}

function envelopeFields (env: RawEnvelope): Omit<RawEnvelope, 'payload'> & { id: string } {
  return { bytes: env.bytes, cid: env.cid, id: cidString(env.cid), signature: env.signature, header: env.header, signed: env.signed, tag: env.tag }
}

/**
 * Decodes a UCAN 1.0 delegation or invocation from its envelope bytes.
 *
 * @throws {MalformedToken} when the bytes are not a well-formed UCAN 1.0 token
 * @example
 * ```ts
 * const token = decodeToken(bytes)
 * token.kind // 'delegation' | 'invocation'
 * token.cid.toString() // bafyrei…
 * ```
 */
export function decodeToken (bytes: Uint8Array): Token {
  const env = decodeEnvelope(bytes, ALL_TAGS, MAX_TOKEN_BYTES, MalformedToken)
  return DELEGATION_TAGS.includes(env.tag) ? delegationFrom(env) : invocationFrom(env)
}

/** Decodes a delegation. @throws {MalformedToken} also when the token is an invocation */
export function decodeDelegation (bytes: Uint8Array): Delegation {
  const t = decodeToken(bytes)
  if (t.kind !== 'delegation') bad('expected a delegation')
  return t
}

/** Decodes an invocation. @throws {MalformedToken} also when the token is a delegation */
export function decodeInvocation (bytes: Uint8Array): Invocation {
  const t = decodeToken(bytes)
  if (t.kind !== 'invocation') bad('expected an invocation')
  return t
}

/** True for a decoded token (recognised by shape, never by `instanceof`). */
export function isToken (x: unknown): x is Token {
  return x !== null && typeof x === 'object' &&
    ((x as Token).kind === 'delegation' || (x as Token).kind === 'invocation') &&
    isBytes((x as Token).bytes) && typeof (x as Token).id === 'string' && CID.asCID((x as Token).cid) !== null
}

/**
 * A token from bytes or a decoded token. A decoded token from elsewhere is
 * re-decoded from its bytes, so its fields cannot disagree with what was signed.
 */
export function toToken (input: TokenInput | unknown): Token {
  if (isBytes(input)) return decodeToken(input)
  if (isToken(input)) return trusted.has(input) ? input : decodeToken(input.bytes)
  return bad('expected a token or its bytes')
}
