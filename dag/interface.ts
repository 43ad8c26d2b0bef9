import type { CID } from 'multiformats/cid'

/** The kinds of frame a capsule holds. A tombstone removes the frame it names. */
export type FrameKind = 'message' | 'note' | 'document' | 'passage' | 'acu' | 'memory' | 'tombstone'

/** Tags are a flat string map (`--tag k=v`). */
export type Tags = Record<string, string>

/**
 * One immutable unit of memory, stored as a dag-cbor block. Its CID is its checksum.
 * Optional fields are absent (never `null`) so that equal frames encode to equal bytes.
 */
export interface Frame {
  /** Schema version. */
  v: 1
  kind: FrameKind
  /** The content. Empty for a tombstone. */
  text: string
  /** When it happened (ms since the epoch, integer). */
  time: number
  /** When it was stored (ms since the epoch, integer). */
  recorded: number
  /** The author's DID. */
  author: string
  title?: string
  uri?: string
  tags?: Tags
  /** Conversation id, for messages. */
  conversation?: string
  /** Speaker role, for messages (user, assistant, system, tool, or a name). */
  role?: string
  /** The frame this one replaces (an update) or removes (a tombstone). */
  supersedes?: CID
}

/** What a caller gives to make a frame; the rest is filled in. */
export interface FrameInit {
  text: string
  kind?: FrameKind
  /** Date or ms; default now. */
  time?: Date | number
  recorded?: Date | number
  author: string
  title?: string
  uri?: string
  tags?: Tags
  conversation?: string
  role?: string
  supersedes?: CID
}

/** Rules the capsule's owner signs into its genesis. */
export interface CapsuleRules {
  /** After this time (ms) the capsule is no longer served or searched. */
  expires?: number
  /** Frames older than this many ms may be dropped by gc. */
  retention?: number
  /** Whether holders may re-share the capsule with others. */
  reshare?: boolean
  /** Private: frames are stored sealed under per-epoch content keys (see `SealedFrame`). */
  encrypted?: boolean
}

/** The genesis block of a capsule; its CID is the capsule's stable id. */
export interface Genesis {
  v: 1
  type: 'capsule'
  name: string
  owner: string
  created: number
  /** Random bytes so two capsules of the same name and owner differ. */
  nonce: Uint8Array
  rules?: CapsuleRules
  sig: Uint8Array
}

/** A signed step of a capsule's history. */
export interface Commit {
  v: 1
  type: 'commit'
  /** The capsule's genesis CID. */
  capsule: CID
  /** Previous heads; several for a merge, none for the first commit. */
  parents: CID[]
  /** Frames added by this commit. */
  frames: CID[]
  /** Frames this commit's frames supersede or tombstone (derived from them, kept here so history walks never read frames). */
  removes: CID[]
  author: string
  /** When the commit was made (ms). */
  time: number
  sig: Uint8Array
}

/** Verifies a DID's signature; injected so dag/ knows nothing of key formats. */
export type SignatureVerifier = (did: string, message: Uint8Array, signature: Uint8Array) => boolean

/** Signs as a DID; injected so dag/ knows nothing of key storage. */
export interface DagSigner {
  readonly did: string
  sign (message: Uint8Array): Uint8Array
}

/** Reads a block's bytes by CID; implementations must verify the hash (see `decodeBlock`). */
export interface BlockSource {
  get (cid: CID): Promise<Uint8Array>
}

/** An encoded block: its CID and bytes. */
export interface EncodedBlock<T = unknown> {
  cid: CID
  bytes: Uint8Array
  value: T
}
