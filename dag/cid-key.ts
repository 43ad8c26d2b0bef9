/**
 * A CID's string form, flattened. multiformats builds the base32 string by concatenation, and V8
 * keeps such a string as a tree of fragments (about 1.5 KB per CID, measured) until something
 * flattens it; a Set or Map key does not. A number conversion flattens it in place (the trick
 * of the `flatstr` package), so every CID string kept in a long-lived set goes through here.
 */
export function cidKey (cid: { toString: () => string }): string {
  return flat(cid.toString())
}

/** Flattens a string in place and returns it. */
export function flat (s: string): string {
  // eslint-disable-next-line no-void
  void ((s as unknown as number) | 0)
  return s
}
