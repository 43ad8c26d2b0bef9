// A pull reader over an async iterable of byte chunks: exact reads and peeks, so the CAR
// parser and the decryptor hold at most one section or chunk (bounded memory).

const EMPTY = new Uint8Array(0)

export class ByteReader {
  readonly #it: AsyncIterator<Uint8Array>
  #buf: Uint8Array = EMPTY
  #off = 0
  #done = false
  /** Bytes consumed so far (for error messages). */
  position = 0

  constructor (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    const s = source as any
    this.#it = typeof s[Symbol.asyncIterator] === 'function' ? s[Symbol.asyncIterator]() : toAsync(s[Symbol.iterator]())
  }

  get #available (): number { return this.#buf.length - this.#off }

  /** Buffers until `n` bytes are available or the source ends; returns how many are. */
  async #fill (n: number): Promise<number> {
    while (this.#available < n && !this.#done) {
      const r = await this.#it.next()
      if (r.done === true) { this.#done = true; break }
      const chunk = r.value
      if (!(chunk instanceof Uint8Array)) throw new TypeError('capsule file source must yield Uint8Array chunks')
      if (chunk.length === 0) continue
      if (this.#available === 0) { this.#buf = chunk; this.#off = 0; continue }
      const next = new Uint8Array(this.#available + chunk.length)
      next.set(this.#buf.subarray(this.#off))
      next.set(chunk, this.#available)
      this.#buf = next
      this.#off = 0
    }
    return this.#available
  }

  /** Up to `n` bytes without consuming them (fewer only at the end). */
  async peek (n: number): Promise<Uint8Array> {
    await this.#fill(n)
    return this.#buf.subarray(this.#off, this.#off + Math.min(n, this.#available))
  }

  /** Up to `n` bytes, consumed (fewer only at the end). */
  async read (n: number): Promise<Uint8Array> {
    const got = await this.peek(n)
    this.#off += got.length
    this.position += got.length
    return got
  }

  skip (n: number): void { this.#off += n; this.position += n }

  async atEnd (): Promise<boolean> { return (await this.#fill(1)) === 0 }

  /** Stops the source early (releases a file handle). */
  async close (): Promise<void> { await this.#it.return?.() }
}

async function * toAsync (it: Iterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (let r = it.next(); r.done !== true; r = it.next()) yield r.value
}

/** Concatenates byte arrays. */
export function concat (parts: Uint8Array[], length = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  const out = new Uint8Array(length)
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

/** Re-chunks a byte stream into pieces of `size` bytes (the last may be shorter). */
export async function * rechunk (source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = []
  let n = 0
  for await (const piece of source) {
    let p = piece
    while (p.length > 0) {
      const take = Math.min(size - n, p.length)
      parts.push(p.subarray(0, take))
      n += take
      p = p.subarray(take)
      if (n === size) { yield concat(parts, n); parts = []; n = 0 }
    }
  }
  if (n > 0) yield concat(parts, n)
}
