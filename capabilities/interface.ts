// Shared types of capabilities/ (UCAN tokens, validation results, keyring records).

import type { CID } from 'multiformats/cid'
import type { Policy } from './policy.js'

/** IPLD data as @ipld/dag-cbor decodes it. */
export type Ipld = null | boolean | number | bigint | string | Uint8Array | CID | Ipld[] | { [key: string]: Ipld }

/** The payload of a UCAN 1.0 delegation (ucan-wg/delegation, "Delegation Payload"). */
export interface DelegationPayload {
  readonly iss: string
  readonly aud: string
  /** The subject DID, or null for a "powerline" delegation (any subject the issuer can prove). */
  readonly sub: string | null
  readonly cmd: string
  /** The policy as it travels (raw IPLD). */
  readonly pol: readonly Ipld[]
  readonly nonce: Uint8Array
  readonly meta?: Readonly<Record<string, Ipld>>
  /** Not before (Unix seconds). */
  readonly nbf?: number
  /** Expiry (Unix seconds), or null for none. */
  readonly exp: number | null
}

/** The payload of a UCAN 1.0 invocation (ucan-wg/invocation, "Invocation Payload"). */
export interface InvocationPayload {
  readonly iss: string
  readonly sub: string
  /** The executor, when it is not the subject. */
  readonly aud?: string
  readonly cmd: string
  readonly args: Readonly<Record<string, Ipld>>
  readonly meta?: Readonly<Record<string, Ipld>>
  readonly nonce: Uint8Array
  readonly exp: number | null
  /** Issued at (Unix seconds). */
  readonly iat?: number
  /** Proof CIDs, root first (as in the 1.0.0 fixtures). */
  readonly prf: readonly CID[]
  readonly cause?: CID
}

interface TokenBase {
  /** CIDv1 dag-cbor sha2-256 of `bytes`: the token id. */
  readonly cid: CID
  /** `cid` as a string (base32), the key of caches and revocations. */
  readonly id: string
  /** The envelope bytes exactly as received or issued (the block). */
  readonly bytes: Uint8Array
  /** The signature (envelope element 0). */
  readonly signature: Uint8Array
  /** The varsig header (`h`). */
  readonly header: Uint8Array
  /** The DAG-CBOR bytes the signature covers (envelope element 1). */
  readonly signed: Uint8Array
  /** The envelope tag, e.g. `ucan/dlg@1.0.0`. */
  readonly tag: string
}

/** A decoded delegation. Decoding checks shape only: signatures are checked by a validator. */
export interface Delegation extends TokenBase {
  readonly kind: 'delegation'
  readonly payload: DelegationPayload
  /** The parsed policy. */
  readonly policy: Policy
}

/** A decoded invocation. */
export interface Invocation extends TokenBase {
  readonly kind: 'invocation'
  readonly payload: InvocationPayload
}

/** A decoded UCAN token. */
export type Token = Delegation | Invocation

/** A token as it may be handed to an API: decoded, or its envelope bytes. */
export type TokenInput = Token | Uint8Array

/** Looks up a proof by CID (e.g. in a blockstore); undefined when unknown. */
export type ProofResolver = (cid: CID) => TokenInput | undefined | Promise<TokenInput | undefined>

/** What a successful invocation check returns. */
export interface ValidatedInvocation {
  readonly invocation: Invocation
  /** The proofs, root first. */
  readonly proofs: readonly Delegation[]
  readonly issuer: string
  readonly subject: string
  readonly command: string
  readonly args: Readonly<Record<string, Ipld>>
  /** When the chain stops being valid (the earliest `exp`), or null. */
  readonly expiresAt: number | null
}

/** What a successful delegation-chain check returns. */
export interface ValidatedChain {
  /** The delegations, root first. */
  readonly chain: readonly Delegation[]
  /** The holder (audience of the last delegation). */
  readonly audience: string
  readonly subject: string
  /** The narrowest command of the chain (what the holder may invoke, with sub-paths). */
  readonly command: string
  readonly expiresAt: number | null
}
