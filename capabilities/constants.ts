// Wire constants for UCAN 1.0 tokens and our own capability records.

/**
 * Envelope tags. UCAN 1.0 (ucan-wg/spec, "Envelope") keys the payload by
 * `ucan/<subspec>@<version>`; the 1.0.0 fixtures use `ucan/dlg@1.0.0` and
 * `ucan/inv@1.0.0` (the sub-specs' prose still says `@1.0.0-rc.1`). We emit
 * the 1.0.0 tags and also accept the rc.1 tags on decode.
 */
export const DELEGATION_TAG = 'ucan/dlg@1.0.0'
export const INVOCATION_TAG = 'ucan/inv@1.0.0'
export const DELEGATION_TAGS: readonly string[] = [DELEGATION_TAG, 'ucan/dlg@1.0.0-rc.1']
export const INVOCATION_TAGS: readonly string[] = [INVOCATION_TAG, 'ucan/inv@1.0.0-rc.1']

/**
 * Varsig v1 header (ChainAgnostic/varsig) for Ed25519 over a DAG-CBOR payload:
 * 0x34 varsig, 0x01 version, 0xed01 EdDSA, 0xed01 Ed25519 curve, 0x13 SHA2-512,
 * 0x71 DAG-CBOR payload encoding. Byte-identical to the fixtures' `h` field.
 */
export const VARSIG_ED25519_DAG_CBOR: Uint8Array = Uint8Array.of(0x34, 0x01, 0xed, 0x01, 0xed, 0x01, 0x13, 0x71)

/** Multicodec of DAG-CBOR (token CIDs are CIDv1 dag-cbor sha2-256). */
export const DAG_CBOR_CODE = 0x71
/** Multicodec of SHA2-256. */
export const SHA2_256_CODE = 0x12

/** Bytes of a random nonce in the tokens we issue (the fixtures use 16). */
export const NONCE_BYTES = 16

/** Largest token we decode (bytes). Tokens are a few hundred bytes; this bounds work on hostile input. */
export const MAX_TOKEN_BYTES = 64 * 1024
/** Most proofs an invocation may list. */
export const MAX_PROOFS = 64
/** Most statements in one policy (counted recursively). */
export const MAX_POLICY_NODES = 1024
/** Deepest nesting of policy statements. */
export const MAX_POLICY_DEPTH = 32

/** Default size of a validator's verified-proof cache (entries). */
export const DEFAULT_CACHE_SIZE = 10_000

/** Default lifetime of an invocation we issue (seconds): invocations are short-lived requests. */
export const DEFAULT_INVOCATION_TTL = 300

// ---------------------------------------------------------------------------
// Our commands (UCAN "Command" paths; a command grants its sub-paths by whole segments).

/** Read a capsule's frames (plaintext access: the reader also gets the epoch keys). */
export const CAPSULE_READ = '/capsule/read'
/** Append commits and frames to a capsule. */
export const CAPSULE_APPEND = '/capsule/append'
/** Hold and serve a capsule's blocks as a backup peer: ciphertext only, never the keys. */
export const CAPSULE_REPLICATE = '/capsule/replicate'
/** Be a member of a circle: read its shared state, post. */
export const CIRCLE_MEMBER = '/circle/member'
/** Administer a circle: add and remove members, share capsules into it. */
export const CIRCLE_ADMIN = '/circle/admin'
/** The UCAN revocation command (the `/ucan` namespace is reserved by the spec). */
export const UCAN_REVOKE = '/ucan/revoke'

/** All of our commands, for CLI validation (`--can read|append|replicate`). */
export const COMMANDS = Object.freeze({
  read: CAPSULE_READ,
  append: CAPSULE_APPEND,
  replicate: CAPSULE_REPLICATE,
  member: CIRCLE_MEMBER,
  admin: CIRCLE_ADMIN
} as const)

// ---------------------------------------------------------------------------
// Keys at rest and end-to-end encryption

/** Version byte of `encryptContent` output. */
export const CONTENT_VERSION = 1
/** XChaCha20-Poly1305 nonce and tag sizes. */
export const XNONCE_BYTES = 24
export const TAG_BYTES = 16
/** Symmetric content keys are 256-bit. */
export const KEY_BYTES = 32

/** Tag of a wrapped-key envelope block and of an epoch block. */
export const WRAPPED_KEY_TAG = 'vivim/wrapped-key@1'
export const EPOCH_TAG = 'vivim/epoch@1'
/** Tag of a frame-key bundle block (frame keys under an epoch key). */
export const FRAME_KEYS_TAG = 'vivim/frame-keys@1'
/** HKDF info prefix of key wrapping (both public keys and the context follow it). */
export const WRAP_INFO = 'vivim/key-wrap/v1'

/** Keystore format tag and version. */
export const KEYSTORE_TAG = 'vivim/keystore'
export const KEYSTORE_VERSION = 1
/** scrypt defaults for keys at rest (N = 2^17, r = 8, p = 1: ~128 MiB, ~0.5 s here). */
export const SCRYPT_DEFAULTS = Object.freeze({ N: 2 ** 17, r: 8, p: 1 })
/** Largest scrypt cost a keystore may ask for when we open it (bounds work on hostile files). */
export const SCRYPT_MAX_N = 2 ** 20
export const SCRYPT_MAX_RP = 64
/** Most memory (bytes) scrypt may use when opening a keystore: 256 MiB, twice the default. */
export const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024
