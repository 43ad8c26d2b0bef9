/** Home folder when neither `--home`/`init.home` nor `$VIVIM_HOME` is set (under the user's home). */
export const DEFAULT_HOME_DIR = '.vivim'

/** Capsule used when a put names none. */
export const DEFAULT_CAPSULE = 'default'

/** Branch used when none is named. */
export const DEFAULT_BRANCH = 'main'

/** Most frames one group commit takes from the queue. */
export const MAX_GROUP_COMMIT = 50_000

/**
 * Decoded commits kept in memory (commits are immutable, so caching is always safe), bounded by
 * the frame CIDs they list: a commit of 4,096 frames weighs far more than a merge. History walks
 * use the lighter cache below; this one serves log, export and asOf lookups.
 */
export const COMMIT_CACHE_FRAMES = 8_192

/** Branch states covering at least this many commits are checkpointed on stop (smaller ones are quick to walk). */
export const CHECKPOINT_MIN_COMMITS = 64

/** Frames the history-walk cache lists before its oldest commits go (about 80 bytes each: strings, not decoded CIDs). */
export const WALK_CACHE_FRAMES = 262_144
