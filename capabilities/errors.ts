// Every error here is a class whose `name` is its stable code: callers and tests
// compare `err.name`, never the message. The UCAN validation names are exactly
// the ones the UCAN 1.0 conformance fixtures expect (ucan-wg/spec fixtures/1.0.0).

/** A DID that is not a did:key we understand (only Ed25519 did:key is supported). */
export class InvalidDidError extends Error {
  static override name = 'InvalidDidError'
  override name = 'InvalidDidError'
  constructor (message = 'Invalid or unsupported DID') { super(message) }
}

/** A secret key of the wrong type or length. */
export class InvalidKeyError extends Error {
  static override name = 'InvalidKeyError'
  override name = 'InvalidKeyError'
  constructor (message = 'Invalid key') { super(message) }
}

// ---------------------------------------------------------------------------
// UCAN validation (names from the fixtures, plus Revoked, Replayed, MalformedToken)

/** Base class of every UCAN validation failure; `name` is the fixture's error name. */
export class UcanError extends Error {
  static override name = 'UcanError'
  override name = 'UcanError'
}

/** The bytes are not a UCAN 1.0 envelope we accept (CBOR, shape, field types, policy or command syntax). */
export class MalformedToken extends UcanError {
  static override name = 'MalformedToken'
  override name = 'MalformedToken'
  constructor (message = 'Malformed UCAN token') { super(message) }
}

/** A token (the invocation or a proof) is past its `exp`. */
export class Expired extends UcanError {
  static override name = 'Expired'
  override name = 'Expired'
  constructor (message = 'Token expired') { super(message) }
}

/** A token (the invocation or a proof) is before its `nbf`. */
export class TooEarly extends UcanError {
  static override name = 'TooEarly'
  override name = 'TooEarly'
  constructor (message = 'Token not yet valid') { super(message) }
}

/** Principal alignment failed: an `aud` is not the next `iss`, or the invocation is addressed to someone else. */
export class InvalidAudience extends UcanError {
  static override name = 'InvalidAudience'
  override name = 'InvalidAudience'
  constructor (message = 'Audience does not match') { super(message) }
}

/** The subject differs along the chain, or is not the one the executor expects. */
export class InvalidSubject extends UcanError {
  static override name = 'InvalidSubject'
  override name = 'InvalidSubject'
  constructor (message = 'Subject does not match') { super(message) }
}

/** A signature does not verify against its issuer, or its varsig header is not one we verify. */
export class InvalidSignature extends UcanError {
  static override name = 'InvalidSignature'
  override name = 'InvalidSignature'
  constructor (message = 'Signature does not verify') { super(message) }
}

/** A proof named in `prf` was neither supplied nor resolvable. */
export class UnavailableProof extends UcanError {
  static override name = 'UnavailableProof'
  override name = 'UnavailableProof'
  constructor (message = 'Proof not available') { super(message) }
}

/** The chain does not grant the claim: no authority over the subject, a powerline root, a command outside (or wider than) what was delegated. */
export class InvalidClaim extends UcanError {
  static override name = 'InvalidClaim'
  override name = 'InvalidClaim'
  constructor (message = 'Claim not granted by the proof chain') { super(message) }
}

/** The invocation's arguments fail a policy of a delegation in its chain. */
export class MatchError extends UcanError {
  static override name = 'MatchError'
  override name = 'MatchError'
  constructor (message = 'Arguments do not match the delegated policy') { super(message) }
}

/** A delegation in the chain was revoked by an issuer at or above it in that chain. */
export class Revoked extends UcanError {
  static override name = 'Revoked'
  override name = 'Revoked'
  constructor (message = 'A delegation in the chain was revoked') { super(message) }
}

/** An invocation validated with `once: true` was seen before (replay). */
export class Replayed extends UcanError {
  static override name = 'Replayed'
  override name = 'Replayed'
  constructor (message = 'Invocation already used') { super(message) }
}

// ---------------------------------------------------------------------------
// Keys at rest and end-to-end encryption

/** A sealed secret or keystore did not open with this passphrase (or was tampered with: the two are indistinguishable). */
export class WrongPassphraseError extends Error {
  static override name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'
  constructor (message = 'Wrong passphrase or tampered keystore') { super(message) }
}

/** A keystore holds a sealed secret and no passphrase was given. */
export class PassphraseRequiredError extends Error {
  static override name = 'PassphraseRequiredError'
  override name = 'PassphraseRequiredError'
  constructor (message = 'This keystore is encrypted: a passphrase is required') { super(message) }
}

/** Keystore bytes of an unknown version or shape, or with unsafe KDF parameters. */
export class MalformedKeystoreError extends Error {
  static override name = 'MalformedKeystoreError'
  override name = 'MalformedKeystoreError'
  constructor (message = 'Malformed keystore') { super(message) }
}

/** Authenticated decryption failed: wrong key, wrong associated data, or tampered ciphertext. */
export class DecryptionError extends Error {
  static override name = 'DecryptionError'
  override name = 'DecryptionError'
  constructor (message = 'Decryption failed') { super(message) }
}

/** A ciphertext, wrapped key or epoch block whose bytes are not of the expected shape. */
export class MalformedEnvelopeError extends Error {
  static override name = 'MalformedEnvelopeError'
  override name = 'MalformedEnvelopeError'
  constructor (message = 'Malformed envelope') { super(message) }
}

/** The epoch's key is not wrapped for this reader. */
export class NotAReaderError extends Error {
  static override name = 'NotAReaderError'
  override name = 'NotAReaderError'
  constructor (message = 'Not a reader of this epoch') { super(message) }
}

/** Ciphertext of an epoch this keyring does not hold. */
export class UnknownEpochError extends Error {
  static override name = 'UnknownEpochError'
  override name = 'UnknownEpochError'
  constructor (message = 'Unknown epoch') { super(message) }
}
