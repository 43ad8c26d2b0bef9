import type { SearchOptions as IndexSearchOptions } from './context/index.js'
import type { CapsuleRules, FrameKind, Tags } from '../dag/index.js'

/** Options every async public method accepts. */
export interface AbortOptions {
  signal?: AbortSignal
}

/** Options of `createNode`. */
export interface NodeInit {
  /** The home folder (default: `$VIVIM_HOME`, else `~/.vivim`; see DEFAULT_HOME_DIR). */
  home?: string
  /** `false` gives a fully offline node (the only mode until networking lands). */
  network?: false
  /**
   * Keep the local search index (default true). `false` gives a lean store: puts skip indexing,
   * and `search`/`context` throw SearchDisabledError.
   */
  search?: boolean
  /** Unlocks the owner's keystore when it is sealed (`vivim init --passphrase-file`). */
  passphrase?: string
  /** Clock override for tests and simulations (ms). */
  now?: () => number
}

/** What `put` takes. */
export interface PutInput {
  text: string
  /** Capsule name or id (default: DEFAULT_CAPSULE); created on first use when given by name. */
  capsule?: string
  /** Branch (default: DEFAULT_BRANCH). */
  branch?: string
  title?: string
  uri?: string
  tags?: Tags
  /** When it happened: Date or ms (default now). */
  time?: Date | number
  kind?: FrameKind
  role?: string
  conversation?: string
  /** CID (string) of the frame this one replaces. */
  supersedes?: string
}

/** Per-call options of `putMany`: defaults applied to every input. */
export interface PutManyOptions extends AbortOptions {
  capsule?: string
  branch?: string
}

/** A stored frame as the node returns it. */
export interface FrameView {
  cid: string
  kind: FrameKind
  text: string
  time: number
  recorded: number
  author: string
  title?: string
  uri?: string
  tags: Tags
  conversation?: string
  role?: string
  supersedes?: string
  /** The capsule id the frame was committed to. */
  capsule: string
}

/** A capsule as `capsules()` lists it. */
export interface CapsuleInfo {
  id: string
  name: string
  owner: string
  created: number
  rules?: CapsuleRules
  branches: string[]
  /** Present and true when the capsule is past its `rules.expires`: it is no longer served. */
  expired?: boolean
}

/** One commit as `log()` returns it. */
export interface CommitView {
  cid: string
  parents: string[]
  frames: string[]
  removes: string[]
  author: string
  time: number
}

/** Where in a capsule's history to look. */
export interface HistoryOptions extends AbortOptions {
  branch?: string
  /** A commit CID (string), a Date, or ms: the state as it was then. */
  asOf?: string | Date | number
}

export interface TimelineOptions extends HistoryOptions {
  since?: Date | number
  until?: Date | number
  limit?: number
  /** Newest first. */
  reverse?: boolean
}

export interface MergeOptions extends AbortOptions {
  /** Branch to merge from (default: join the heads of `into` alone). */
  from?: string
  /** Branch to merge into (default: DEFAULT_BRANCH). */
  into?: string
}

/** Options of `node.search`: the index's filters (capsules by name or id) plus `asOf`; visibility is the node's. */
export interface NodeSearchOptions extends Omit<IndexSearchOptions, 'allowed'> {
  /** Search the state as of a commit CID (its capsule only) or a time (every capsule). */
  asOf?: string | Date | number
}

/** Options of `node.context`. */
export interface NodeContextOptions extends Omit<NodeSearchOptions, 'tags' | 'uriPrefix' | 'since' | 'until'> {
  /** Total token budget (default: DEFAULT_CONTEXT_BUDGET). */
  budget?: number
}

/** One problem `verify` found. */
export interface VerifyProblem {
  problem: 'hash-mismatch' | 'missing-block' | 'invalid-record' | 'bad-signature' | 'bad-removes' | 'undecodable-key'
  cid?: string
  capsule?: string
  detail: string
}

export interface VerifyReport {
  ok: boolean
  blocks: number
  /** Frames the history names whose blocks were deleted on purpose (forget + gc): not problems. */
  forgotten?: number
  commits: number
  frames: number
  capsules: number
  problems: VerifyProblem[]
}
