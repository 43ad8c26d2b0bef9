// Where an export's bytes go: a file (written beside it, fsynced, then renamed, so a failed or
// interrupted export never leaves a half file under the name), a web WritableStream, or a Node Writable.
import { open, rename, unlink } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import type { Writable } from 'node:stream'

/** A file path, a WHATWG WritableStream, or a Node Writable. */
export type CapsuleSink = string | WritableStream<Uint8Array> | Writable

/** Writes every piece to the sink, honouring its backpressure. */
export async function writeTo (sink: CapsuleSink, bytes: AsyncIterable<Uint8Array>): Promise<void> {
  if (typeof sink === 'string') {
    const tmp = join(dirname(sink), `.${basename(sink)}.${process.pid}.${Date.now()}.tmp`)
    const fh = await open(tmp, 'w', 0o600)
    try {
      for await (const piece of bytes) await fh.write(piece)
      await fh.sync()
      await fh.close()
      await rename(tmp, sink)
    } catch (err) {
      await fh.close().catch(() => {})
      await unlink(tmp).catch(() => {})
      throw err
    }
    return
  }
  if (typeof (sink as WritableStream).getWriter === 'function') {
    const w = (sink as WritableStream<Uint8Array>).getWriter()
    try {
      for await (const piece of bytes) { await w.ready; await w.write(piece) }
      await w.close()
    } catch (err) {
      await w.abort(err).catch(() => {})
      throw err
    }
    return
  }
  const { pipeline } = await import('node:stream/promises')
  const { Readable } = await import('node:stream')
  await pipeline(Readable.from(bytes), sink as Writable)
}
