// The encrypted capsule file: an authenticated stream around the CAR bytes.
//
// Header (ENCRYPTED_HEADER_LENGTH = 80 bytes, all integers big-endian):
//    0  8  magic ENCRYPTED_MAGIC
//    8  1  version (1)
//    9  1  kdf (1 = scrypt)
//   10  1  log2 N      11  1  r      12  1  p
//   13  1  log2 of the plaintext chunk size
//   14  2  reserved, zero
//   16 16  salt (random per file)
//   32 16  nonce prefix (random per file)
//   48 16  digest: the first 16 bytes of SHA-256(bytes 0..48), catches a damaged header before any KDF runs
//   64 16  key check: the first 16 bytes of HMAC-SHA256(checkKey, bytes 0..64), tells a wrong passphrase apart
//
// scrypt(passphrase NFC UTF-8, salt, N, r, p, dkLen 64) gives encKey (first 32) and checkKey (last 32).
// Chunk i (from 0) is XChaCha20-Poly1305(encKey, nonce = prefix ‖ u64be(i), AAD = header[0..64] ‖ final)
// over exactly 2^chunkLog2 plaintext bytes; final = 1 for the last chunk only, whose plaintext is
// the last 0 to 2^chunkLog2 - 1 bytes padded with 0x80 then zeros (ISO/IEC 7816-4). Every chunk
// is therefore the same size on disk: a file cut inside a chunk is short, a file cut exactly at
// a chunk boundary lacks its final chunk, the header is authenticated by every chunk (its first
// 64 bytes as AAD; the key check is itself a MAC under the key), and a chunk moved, repeated or
// altered fails its tag.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { equals } from 'multiformats/bytes'
import {
  DEFAULT_CHUNK_LOG2, DEFAULT_SCRYPT, ENCRYPTED_HEADER_LENGTH, ENCRYPTED_MAGIC, ENCRYPTED_VERSION, KDF_SCRYPT,
  MAX_CHUNK_LOG2, MAX_SCRYPT_MEMORY, MIN_CHUNK_LOG2, TAG_LENGTH
} from './constants.js'
import { DuplicatedChunkError, ReorderedChunksError, TamperedFileError, TruncatedFileError, UnsupportedFileError, WrongPassphraseError } from './errors.js'
import { ByteReader } from './_bytes.js'
import type { EncryptOptions, ScryptParams } from './interface.js'

/** How far from its place a failing chunk is tried, to name a reorder or a duplicate. */
const SEARCH_WINDOW = 16

interface Keys { enc: Uint8Array, check: Uint8Array }

/** True when the bytes start with the encrypted file's magic. */
export function isEncrypted (head: Uint8Array): boolean {
  return head.length >= ENCRYPTED_MAGIC.length && equals(head.subarray(0, ENCRYPTED_MAGIC.length), ENCRYPTED_MAGIC)
}

function passphraseBytes (p: string | Uint8Array): Uint8Array {
  if (typeof p === 'string') {
    if (p.length === 0) throw new RangeError('passphrase must not be empty')
    return new TextEncoder().encode(p.normalize('NFC'))
  }
  if (!(p instanceof Uint8Array)) throw new TypeError('passphrase must be a string or bytes')
  if (p.length === 0) throw new RangeError('passphrase must not be empty')
  return p
}

function checkParams (kdf: ScryptParams, chunkLog2: number): void {
  const { logN, r, p } = kdf
  if (!Number.isInteger(logN) || logN < 1 || logN > 31) throw new UnsupportedFileError(`scrypt log2 N ${logN} is out of range`)
  if (!Number.isInteger(r) || r < 1 || r > 255 || !Number.isInteger(p) || p < 1 || p > 255) throw new UnsupportedFileError(`scrypt r=${r} p=${p} out of range`)
  if (128 * r * 2 ** logN > MAX_SCRYPT_MEMORY || r * p >= 2 ** 30) throw new UnsupportedFileError(`scrypt cost N=2^${logN} r=${r} needs more than ${MAX_SCRYPT_MEMORY} bytes`)
  if (!Number.isInteger(chunkLog2) || chunkLog2 < MIN_CHUNK_LOG2 || chunkLog2 > MAX_CHUNK_LOG2) throw new UnsupportedFileError(`chunk size 2^${chunkLog2} out of range`)
}

async function deriveKeys (passphrase: Uint8Array, salt: Uint8Array, kdf: ScryptParams): Promise<Keys> {
  const dk = await scryptAsync(passphrase, salt, { N: 2 ** kdf.logN, r: kdf.r, p: kdf.p, dkLen: 64, maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024 })
  return { enc: dk.slice(0, 32), check: dk.slice(32, 64) }
}

function headerDigest (h: Uint8Array): Uint8Array { return sha256(h.subarray(0, 48)).subarray(0, 16) }
function keyCheck (keys: Keys, h: Uint8Array): Uint8Array { return hmac(sha256, keys.check, h.subarray(0, 64)).subarray(0, 16) }

function nonce (prefix: Uint8Array, i: number): Uint8Array {
  const n = new Uint8Array(24)
  n.set(prefix)
  new DataView(n.buffer).setBigUint64(16, BigInt(i))
  return n
}

function aad (header: Uint8Array, final: boolean): Uint8Array {
  const a = new Uint8Array(65)
  a.set(header.subarray(0, 64))
  a[64] = final ? 1 : 0
  return a
}

/**
 * Encrypts a byte stream (the CAR) into the authenticated container, chunk by chunk.
 *
 * @example
 * ```ts
 * for await (const piece of encryptStream(carPieces, { passphrase })) await fh.write(piece)
 * ```
 */
export async function * encryptStream (source: AsyncIterable<Uint8Array>, opts: EncryptOptions): AsyncGenerator<Uint8Array> {
  const kdf: ScryptParams = { logN: opts.kdf?.logN ?? DEFAULT_SCRYPT.logN, r: opts.kdf?.r ?? DEFAULT_SCRYPT.r, p: opts.kdf?.p ?? DEFAULT_SCRYPT.p }
  const chunkLog2 = opts.chunkLog2 ?? DEFAULT_CHUNK_LOG2
  checkParams(kdf, chunkLog2)
  const pass = passphraseBytes(opts.passphrase)
  const header = new Uint8Array(ENCRYPTED_HEADER_LENGTH)
  header.set(ENCRYPTED_MAGIC)
  header.set([ENCRYPTED_VERSION, KDF_SCRYPT, kdf.logN, kdf.r, kdf.p, chunkLog2, 0, 0], 8)
  header.set(crypto.getRandomValues(new Uint8Array(16)), 16)
  header.set(crypto.getRandomValues(new Uint8Array(16)), 32)
  header.set(headerDigest(header), 48)
  const keys = await deriveKeys(pass, header.subarray(16, 32), kdf)
  header.set(keyCheck(keys, header), 64)
  yield header.slice()
  const prefix = header.subarray(32, 48)
  const aadMid = aad(header, false)
  const aadLast = aad(header, true)
  const size = 2 ** chunkLog2
  const seal = (plain: Uint8Array, i: number, final: boolean): Uint8Array => xchacha20poly1305(keys.enc, nonce(prefix, i), final ? aadLast : aadMid).encrypt(plain)
  let i = 0
  let buf = new Uint8Array(size)
  let n = 0
  for await (const piece of source) {
    let off = 0
    while (off < piece.length) {
      // A full chunk is sealed only once more input arrives: the final chunk is never full.
      if (n === size) { yield seal(buf, i++, false); buf = new Uint8Array(size); n = 0 }
      const take = Math.min(size - n, piece.length - off)
      buf.set(piece.subarray(off, off + take), n)
      n += take
      off += take
    }
  }
  if (n === size) { yield seal(buf, i++, false); buf = new Uint8Array(size); n = 0 }
  buf[n] = 0x80
  yield seal(buf, i, true)
  keys.enc.fill(0); keys.check.fill(0)
}

/** Parses and checks the header (magic, version, digest, parameters): no KDF runs on a damaged header. */
export async function readEncryptedHeader (r: ByteReader): Promise<{ header: Uint8Array, kdf: ScryptParams, chunkLog2: number }> {
  const header = (await r.read(ENCRYPTED_HEADER_LENGTH)).slice()
  if (header.length < ENCRYPTED_HEADER_LENGTH) throw new TruncatedFileError(`The file ends inside the encrypted header (${header.length} of ${ENCRYPTED_HEADER_LENGTH} bytes)`)
  if (!isEncrypted(header)) throw new TamperedFileError('The encrypted header lost its magic bytes')
  if (!equals(headerDigest(header), header.subarray(48, 64))) throw new TamperedFileError('The encrypted header was altered (its digest does not match)')
  if (header[8] !== ENCRYPTED_VERSION) throw new UnsupportedFileError(`Encrypted container version ${header[8]} (this version reads ${ENCRYPTED_VERSION})`)
  if (header[9] !== KDF_SCRYPT) throw new UnsupportedFileError(`Unknown KDF ${header[9]}`)
  if (header[14] !== 0 || header[15] !== 0) throw new UnsupportedFileError('Reserved header bytes are set')
  const kdf = { logN: header[10], r: header[11], p: header[12] }
  checkParams(kdf, header[13])
  return { header, kdf, chunkLog2: header[13] }
}

/**
 * Decrypts the container back to the CAR bytes, chunk by chunk, refusing a wrong passphrase,
 * truncation (anywhere, chunk boundaries included), reordered, duplicated or altered chunks
 * and data after the final chunk, each with its own error.
 *
 * @throws {WrongPassphraseError} | {TruncatedFileError} | {TamperedFileError} | {ReorderedChunksError} | {DuplicatedChunkError} | {UnsupportedFileError}
 */
export async function * decryptStream (r: ByteReader, passphrase: string | Uint8Array): AsyncGenerator<Uint8Array> {
  const { header, kdf, chunkLog2 } = await readEncryptedHeader(r)
  const keys = await deriveKeys(passphraseBytes(passphrase), header.subarray(16, 32), kdf)
  const prefix = header.subarray(32, 48)
  const aadMid = aad(header, false)
  const aadLast = aad(header, true)
  const sealed = 2 ** chunkLog2 + TAG_LENGTH
  const open = (c: Uint8Array, i: number, final: boolean): Uint8Array | undefined => {
    try { return xchacha20poly1305(keys.enc, nonce(prefix, i), final ? aadLast : aadMid).decrypt(c) } catch { return undefined }
  }
  try {
    if (!equals(keyCheck(keys, header), header.subarray(64, 80))) {
      // The key is right if the first chunk still opens: then the key check itself was altered.
      const first = await r.peek(sealed)
      if (first.length === sealed && (open(first.slice(), 0, false) != null || open(first.slice(), 0, true) != null)) throw new TamperedFileError('The key check in the header was altered')
      throw new WrongPassphraseError('Wrong passphrase (the key check in the header does not match)')
    }
    for (let i = 0; ; i++) {
      const at = r.position
      const c = (await r.read(sealed)).slice()
      if (c.length === 0) throw new TruncatedFileError(`The file ends after chunk ${i - 1}, before its final chunk`)
      if (c.length < sealed) throw new TruncatedFileError(`The file ends inside chunk ${i} (byte ${at + c.length})`)
      const last = await r.atEnd()
      const plain = open(c, i, last)
      if (plain != null) {
        if (!last) { yield plain; continue }
        yield unpad(plain, i)
        return
      }
      // Name the failure: the other flag, then nearby chunk numbers.
      if (open(c, i, !last) != null) {
        if (last) throw new TruncatedFileError(`The file ends after chunk ${i}, which is not the final chunk`)
        throw new TamperedFileError(`Data follows the final chunk (${i})`)
      }
      for (let d = 1; d <= SEARCH_WINDOW; d++) {
        for (const k of [i + d, i - d]) {
          if (k < 0) continue
          if (open(c, k, false) != null || open(c, k, true) != null) {
            if (k > i) throw new ReorderedChunksError(`Chunk ${k} stands at place ${i}`)
            throw new DuplicatedChunkError(`Chunk ${k} appears again at place ${i}`)
          }
        }
      }
      throw new TamperedFileError(`Chunk ${i} fails authentication (altered bytes)`)
    }
  } finally {
    keys.enc.fill(0); keys.check.fill(0)
  }
}

function unpad (plain: Uint8Array, i: number): Uint8Array {
  let end = plain.length - 1
  while (end >= 0 && plain[end] === 0) end--
  if (end < 0 || plain[end] !== 0x80) throw new TamperedFileError(`Final chunk ${i} has no valid padding`)
  return plain.subarray(0, end)
}
