// multiformats builds a CID's base32 string by concatenation: V8 keeps it as a tree of cons
// strings, about 1.5 KB per CID (measured), until something flattens it, and neither a Map nor a
// Set key does. A number conversion flattens in place (the trick of the `flatstr` package), so
// every CID string kept per block goes through here: the scan's memory then stays ~100 B a CID.

/** The CID's string, flattened. */
export function cidKey (cid: { toString: () => string }): string {
  return flat(cid.toString())
}

/** Flattens a string in place and returns it. */
export function flat (s: string): string {
  // eslint-disable-next-line no-void
  void ((s as unknown as number) | 0)
  return s
}
