import type { CID } from 'multiformats/cid'
import type { DagSigner, Frame, SignatureVerifier } from '../../dag/index.js'
import type { Store } from '../store/index.js'
import type { FrameKeyBundle } from '../../capabilities/index.js'
import type { Refs, Writer } from '../capsules/index.js'
import type { AbortOptions } from '../interface.js'

/** What the file functions touch on a node (STYLE.md "XComponents"). */
export interface FilesComponents {
  store: Store
  refs: Refs
  writer: Writer
  signer: DagSigner
  verifier: SignatureVerifier
  now: () => number
  /** CIDs of a private capsule's epoch blocks (its keys wrapped per reader); [] for a plain capsule. */
  epochBlocks: (capsule: string) => Promise<string[]>
  /** Keys for a private capsule's sealed frames, as this node reads them with these epoch blocks. */
  sealedOpener: (capsule: string, owner: string, epochBlocks: Uint8Array[]) => Promise<SealedKeys>
  /** A private capsule's frame keys (but `skip`) as bundles under its latest epoch, for an export; [] for a plain capsule. */
  frameKeyBundles: (capsule: string, skip: (cid: string) => boolean) => Promise<Array<{ cid: CID, bytes: Uint8Array }>>
  /** The store op recording a private capsule's epoch blocks (merged with those held). */
  keyringPut: (capsule: string, owner: string, blocks: string[]) => { sub: 'k', key: string, value: unknown }
}

/** A private capsule's frame keys during an import (see node/private). */
export interface SealedKeys {
  /** A frame-key bundle's keys, each wrapped as the node keeps it: [frame cid, wrapped]; [] when this node cannot open it. */
  bundle: (bundle: FrameKeyBundle) => Array<[string, string]>
  /** The store op keeping a wrapped frame key. */
  keyPut: (cid: string, wrapped: string) => { sub: 'k', key: string, value: string }
  /** Opens a sealed frame with this wrapped key, else with the key the node holds. @throws {NotAReaderError} when neither exists */
  open: (cid: string, value: unknown, wrapped?: string) => Promise<Frame>
}

/** A passphrase, or a function asked for one only when the file turns out to be encrypted. */
export type PassphraseSource = string | Uint8Array | (() => Promise<string | Uint8Array>)

/** scrypt cost as the encrypted header records it. */
export interface ScryptParams {
  /** log2 of N (default DEFAULT_SCRYPT.logN). */
  logN: number
  r: number
  p: number
}

export interface EncryptOptions {
  passphrase: string | Uint8Array
  /** KDF cost (default DEFAULT_SCRYPT); recorded in the header, so any cost decrypts. */
  kdf?: Partial<ScryptParams>
  /** Plaintext chunk size as a power of two (default DEFAULT_CHUNK_LOG2). */
  chunkLog2?: number
}

/** Per-call options of `exportCapsule`. */
export interface ExportOptions extends AbortOptions {
  /** A commit CID (string) or a time: export the history as of then (of `branch`, default main). */
  asOf?: string | Date | number
  /** Export this branch only (default: every branch). */
  branch?: string
  /** Wrap the CAR in the authenticated encrypted stream. */
  encrypt?: EncryptOptions
}

/** Per-call options of `importCapsule` and `verifyFile`. */
export interface ImportOptions extends AbortOptions {
  passphrase?: PassphraseSource
}

/** What an import did. */
export interface ImportResult {
  capsule: string
  /** The local name (the genesis name, or `name@<last 8 of id>` when another capsule holds it). */
  name: string
  /** True when the capsule was new to this node. */
  created: boolean
  encrypted: boolean
  /** Each branch's heads after the merge. */
  branches: Record<string, string[]>
  commits: { total: number, added: number }
  frames: { total: number, added: number, forgotten: number }
}

/** What an export wrote. */
export interface ExportResult {
  capsule: string
  roots: string[]
  manifest: string
  branches: Record<string, string[]>
  commits: number
  frames: number
  forgotten: number
  bytes: number
  encrypted: boolean
}

/** One problem `verifyFile` found; `error` is the name of the error import would throw. */
export interface FileProblem {
  error: string
  cid?: string
  detail: string
}

/** `verifyFile`'s report. */
export interface FileReport {
  ok: boolean
  encrypted: boolean
  capsule?: string
  name?: string
  owner?: string
  exporter?: string
  branches: Record<string, string[]>
  blocks: number
  commits: number
  frames: number
  forgotten: number
  problems: FileProblem[]
}

/** The manifest block: which capsule, which branch has which heads, which frames were forgotten, signed by the exporter. */
export interface Manifest {
  v: 1
  type: 'capsule-file'
  capsule: CID
  branches: Record<string, CID[]>
  /** Frames the history names whose content was forgotten (their blocks are absent on purpose). */
  forgotten: CID[]
  /** A private capsule's epoch blocks (content keys wrapped per reader), carried in the file. */
  keyring?: CID[]
  exporter: string
  time: number
  sig: Uint8Array
}
