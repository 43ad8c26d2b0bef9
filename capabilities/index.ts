/**
 * @packageDocumentation
 *
 * Identity (Ed25519 `did:key`, with an X25519 key derived from the same secret),
 * keys at rest, UCAN 1.0 capabilities (delegation, invocation, policy, revocation,
 * validation with a verified-proof cache) and end-to-end encryption (content
 * encryption, key wrapping, per-epoch content keys).
 *
 * Decisions, each explained where it is implemented:
 * - X25519 from Ed25519 by the birational map (`toMontgomery` / `toMontgomerySecret`,
 *   as libsodium does), not HKDF: a reader's encryption key follows from their DID,
 *   so sharing needs nothing but the DID (identity.ts).
 * - Tokens follow the 1.0.0 fixtures: tags `ucan/dlg@1.0.0` / `ucan/inv@1.0.0`
 *   (rc.1 tags accepted on decode), varsig header `34 01 ed01 ed01 13 71`, proofs
 *   listed root first, signatures checked over the received bytes (envelope.ts).
 * - A capsule is not a UCAN subject (a subject must be a DID that roots the chain):
 *   the subject is the owner's DID and the capsule is named by the policy
 *   `["==", ".capsule", id]` and `args.capsule`; circles likewise with `.circle` (issue.ts).
 * - Revocations are `/ucan/revoke` invocations, so they are blocks any UCAN
 *   implementation reads; they count when issued at or above the revoked link (revocation.ts).
 * - Validators, caches, revocation stores and verifiers are objects: no module state.
 *
 * @example
 * ```ts
 * import { Ed25519Key, delegate, invoke, createValidator, CAPSULE_READ } from './capabilities/index.js'
 * const owner = Ed25519Key.generate()
 * const bob = Ed25519Key.generate()
 * const share = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: CAPSULE_READ, capsule: id })
 * const request = invoke({ issuer: bob, subject: owner.did, command: CAPSULE_READ, capsule: id, proofs: [share] })
 * await createValidator().validateInvocation(request, { proofs: [share], subject: owner.did, command: CAPSULE_READ, capsule: id })
 * ```
 */

// Identity and keys at rest
export { Ed25519Key, didFromPublicKey, publicKeyFromDid, verifyDidSignature, x25519PublicKeyFromDid } from './identity.js'
export type { Signer, KeyAgreement } from './identity.js'

export { sealSecret, openSecret, encodeKeystore, decodeKeystore, keystoreInfo } from './keystore.js'
export type { ScryptParams, KeystoreInfo } from './keystore.js'

// UCAN tokens
export { decodeToken, decodeDelegation, decodeInvocation, isToken, toToken } from './token.js'
export { delegate, invoke, capsulePolicy, nowSeconds } from './issue.js'
export type { DelegateOptions, InvokeOptions } from './issue.js'
export { isCommand, commandGrants } from './command.js'
export { parsePolicy, matchPolicy, evaluate, deepEqual, compileGlob, globMatch } from './policy.js'
export type { Policy, Statement, Glob } from './policy.js'
export { parseSelector, select, FAIL } from './selector.js'
export type { Selector, Segment } from './selector.js'
export { cidOf } from './envelope.js'
export { exportTokens, importTokens } from './bundle.js'
export type {
  Delegation, DelegationPayload, Invocation, InvocationPayload, Ipld, Token, TokenInput,
  ProofResolver, ValidatedInvocation, ValidatedChain
} from './interface.js'

// Validation, cache, revocation
export { Validator, createValidator, validateInvocation } from './validator.js'
export type { ValidatorInit, InvocationCheck, ChainCheck } from './validator.js'
export { VerifiedCache } from './cache.js'
export type { ChainSummary } from './cache.js'
export { createRevocation, decodeRevocation, RevocationStore, createRevocationStore } from './revocation.js'
export type { Revocation, RevocationOptions } from './revocation.js'
export { createSignatureVerifier } from './verify.js'
export type { SignatureVerifier } from './verify.js'

// End-to-end encryption
export { generateContentKey, encryptContent, decryptContent } from './content.js'
export { wrapKey, unwrapKey, encodeWrappedKey, decodeWrappedKey } from './keywrap.js'
export type { WrappedKey } from './keywrap.js'
export { EpochKeyring, encodeEpochBlock, decodeEpochBlock, epochContext, epochOf } from './keyring.js'
export type { EpochBlock, KeyringInit } from './keyring.js'
export { sealFrameBox, openFrameBox, isFrameBox, encodeFrameKeys, decodeFrameKeys, openFrameKeys, isFrameKeysShape, FRAME_BOX_VERSION, MAX_BUNDLE_KEYS } from './frame-keys.js'
export type { FrameKeyBundle } from './frame-keys.js'

// Constants
export {
  CAPSULE_READ, CAPSULE_APPEND, CAPSULE_REPLICATE, CIRCLE_MEMBER, CIRCLE_ADMIN, UCAN_REVOKE, COMMANDS,
  DELEGATION_TAG, INVOCATION_TAG, VARSIG_ED25519_DAG_CBOR
} from './constants.js'

// Errors
export {
  InvalidDidError, InvalidKeyError,
  UcanError, MalformedToken, Expired, TooEarly, InvalidAudience, InvalidSubject, InvalidSignature,
  UnavailableProof, InvalidClaim, MatchError, Revoked, Replayed,
  WrongPassphraseError, PassphraseRequiredError, MalformedKeystoreError,
  DecryptionError, MalformedEnvelopeError, NotAReaderError, UnknownEpochError
} from './errors.js'
