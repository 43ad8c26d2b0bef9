/**
 * Magic bytes opening an encrypted capsule file: "\x89VIVE\r\n\x1a". Like PNG's, the high
 * first byte and the CR LF / ^Z catch text-mode mangling, and no CAR v1 file can start so
 * (a varint header length 0x89 0x56 would be followed by a dag-cbor map, never 'I').
 */
export const ENCRYPTED_MAGIC = Uint8Array.of(0x89, 0x56, 0x49, 0x56, 0x45, 0x0d, 0x0a, 0x1a)

/** Version byte of the encrypted container this code writes and reads. */
export const ENCRYPTED_VERSION = 1

/** KDF id in the encrypted header: scrypt (RFC 7914). */
export const KDF_SCRYPT = 1

/** Length of the encrypted file's header (see `encrypted.ts` for the layout). */
export const ENCRYPTED_HEADER_LENGTH = 80

/** Poly1305 tag length. */
export const TAG_LENGTH = 16

/**
 * Default scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB, about a second here), the
 * interactive-login setting of RFC 7914 §2 raised to today's hardware (OWASP 2023: N ≥ 2^17).
 */
export const DEFAULT_SCRYPT = { logN: 17, r: 8, p: 1 } as const

/** Most scrypt memory (128·r·N bytes) a file's header may ask for: 1 GiB. Above it the file is refused. */
export const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024

/** Default plaintext chunk size of the encrypted stream, as a power of two (64 KiB). */
export const DEFAULT_CHUNK_LOG2 = 16

/** Chunk sizes accepted in a header: 2^MIN_CHUNK_LOG2 to 2^MAX_CHUNK_LOG2 bytes. */
export const MIN_CHUNK_LOG2 = 6
export const MAX_CHUNK_LOG2 = 24

/** Size of the pieces the exporter hands to the sink (and to the encryptor). */
export const DEFAULT_WRITE_CHUNK = 64 * 1024

/** Most bytes of verified blocks an import holds in memory before writing them (unreferenced) to the blockstore. */
export const DEFAULT_STAGE_BYTES = 4 * 1024 * 1024

/**
 * Frames whose index entries (timeline, frame → capsule, uri) and journal entry one write of an
 * import holds. A file with more frames (or whose blocks spilled) is indexed in several writes,
 * all before the one write that moves the refs.
 */
export const DEFAULT_INDEX_CHUNK = 8192

/** Largest CAR header we accept (roots list): 1 MiB. */
export const MAX_CAR_HEADER = 1024 * 1024

/** `type` of the manifest block a capsule file carries as its last root. */
export const MANIFEST_TYPE = 'capsule-file'
