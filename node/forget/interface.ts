import type { CID } from 'multiformats/cid'
import type { DagSigner, Frame } from '../../dag/index.js'
import type { Store } from '../store/index.js'
import type { Capsules } from '../capsules/index.js'
import type { AbortOptions } from '../interface.js'

/** What forget and gc touch on a node. */
export interface ForgetComponents {
  store: Store
  capsules: Capsules
  signer: DagSigner
  now: () => number
  /** The node's putMany: tombstones go the way every frame goes (sealed in a private capsule). */
  putMany: (inputs: Array<{ text: string, kind: 'tombstone', supersedes: string, capsule: string, branch: string }>) => Promise<{ cids: string[] }>
  /**
   * Destroys the keys of a private capsule's forgotten frames (see node/private); returns how
   * many it destroyed, 0 for a plain capsule. Called once their blocks are deleted.
   */
  shred?: (capsule: string, cids: string[]) => Promise<number>
  /** The node's frame reader (opens sealed frames of private capsules this node can read). */
  readFrame: (cid: CID, bytes: Uint8Array, capsule: string) => Promise<Frame>
}

/** Forget the frames a query finds: by `search` when given (the node's search), else a substring match over timelines. */
export interface ForgetQuery {
  query: string
  /** Only this capsule (name or id). */
  capsule?: string
  /** A search returning hits with `cid`; without it, a case-insensitive substring match of text and title. */
  search?: (query: string, opts: { capsule?: string }) => Promise<Array<{ cid: string }>>
}

export interface ForgetOptions extends AbortOptions {
  /** Also run gc right away so the blocks are deleted now (default false). */
  gc?: boolean
}

export interface ForgetResult {
  /** The frames tombstoned. */
  forgotten: string[]
  /** The tombstone frames written. */
  tombstones: string[]
  /** Frames already forgotten before this call. */
  already: string[]
  /** Keys of sealed frames destroyed (private capsules): no copy of those frames opens again here. */
  keysDestroyed: number
  /** Present when `gc` ran. */
  gc?: GcResult
}

export interface GcOptions extends AbortOptions {
  /** Also delete older versions of updated frames (superseded, not live on any branch). Time travel to before the update then lacks them. Default false. */
  superseded?: boolean
}

export interface GcResult {
  /** Frame blocks deleted (now recorded as forgotten). */
  deleted: string[]
  bytes: number
  /** Frames tombstoned because they were older than their capsule's retention rule. */
  expiredByRetention: string[]
  /** Keys of deleted sealed frames destroyed (private capsules). */
  keysDestroyed: number
}
