import type { CID } from 'multiformats/cid'
import { encodeBlock, decodeBlock, encodeDagCbor } from './block.js'
import { SCHEMA_VERSION } from './constants.js'
import { InvalidRecordError, InvalidSignatureError } from './errors.js'
import { bytes, cid, cidList, did, int, onlyKeys, record } from './_validate.js'
import type { Commit, DagSigner, EncodedBlock, SignatureVerifier } from './interface.js'

const COMMIT_KEYS = ['v', 'type', 'capsule', 'parents', 'frames', 'removes', 'author', 'time', 'sig'] as const

/** Validates a commit's shape (not its signature). */
export function validateCommit (value: unknown): Commit {
  const obj = record(value, 'commit')
  onlyKeys(obj, COMMIT_KEYS, 'commit')
  if (obj.v !== SCHEMA_VERSION) throw new InvalidRecordError(`commit.v must be ${SCHEMA_VERSION}`)
  if (obj.type !== 'commit') throw new InvalidRecordError('commit.type must be "commit"')
  const c: Commit = {
    v: SCHEMA_VERSION,
    type: 'commit',
    capsule: cid(obj.capsule, 'commit.capsule'),
    parents: cidList(obj.parents, 'commit.parents'),
    frames: cidList(obj.frames, 'commit.frames'),
    removes: cidList(obj.removes, 'commit.removes'),
    author: did(obj.author, 'commit.author'),
    time: int(obj.time, 'commit.time'),
    sig: bytes(obj.sig, 'commit.sig')
  }
  if (c.frames.length === 0 && c.removes.length === 0 && c.parents.length < 2) {
    throw new InvalidRecordError('a commit must add frames or merge two or more heads')
  }
  return c
}

/** The bytes an author signs: the dag-cbor encoding of the commit without `sig`. */
export function commitSigningBytes (c: Omit<Commit, 'sig'> | Commit): Uint8Array {
  const { sig: _sig, ...rest } = c as Commit
  return encodeDagCbor(rest)
}

/** Makes and signs a commit. Parents are sorted so the same merge always has the same CID. */
export function createCommit (init: { capsule: CID, parents: CID[], frames: CID[], removes?: CID[], author: DagSigner, time?: number }): EncodedBlock<Commit> {
  const unsigned: Omit<Commit, 'sig'> = {
    v: SCHEMA_VERSION,
    type: 'commit' as const,
    capsule: init.capsule,
    parents: [...init.parents].sort((a, b) => a.toString() < b.toString() ? -1 : 1),
    frames: init.frames,
    removes: init.removes ?? [],
    author: init.author.did,
    time: init.time ?? Date.now()
  }
  const sig = init.author.sign(commitSigningBytes(unsigned))
  return encodeBlock(validateCommit({ ...unsigned, sig }))
}

/**
 * Decodes a commit block: hash, shape, and (when a verifier is given) the author's signature.
 *
 * @throws {InvalidSignatureError} when the signature does not verify
 */
export function decodeCommit (c: CID, data: Uint8Array, verify?: SignatureVerifier): Commit {
  const commit = validateCommit(decodeBlock(c, data))
  if (verify != null && !verify(commit.author, commitSigningBytes(commit), commit.sig)) throw new InvalidSignatureError(`Commit ${c.toString()} has an invalid signature`)
  return commit
}
