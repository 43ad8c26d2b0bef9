/** Sources of bytes: a file on disk (streamed) or bytes in memory. */
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Source } from './interface.js'
import { UnreadableFileError } from './errors.js'

/** Read-stream chunk size: large chunks make the byte scanner faster. */
const CHUNK_BYTES = 256 * 1024

/**
 * Opens a file as a Source.
 * @throws UnreadableFileError when it is missing, not a file, or unreadable
 */
export async function fileSource (path: string): Promise<Source> {
  let st
  try {
    st = await stat(path)
  } catch (err) {
    throw new UnreadableFileError(`cannot read ${path}`, { cause: err })
  }
  if (!st.isFile()) throw new UnreadableFileError(`${path} is not a file`)
  return {
    path,
    dir: dirname(path),
    size: st.size,
    mtime: st.mtimeMs,
    async * chunks (signal?: AbortSignal) {
      const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal })
      try {
        for await (const chunk of stream) yield chunk as Buffer
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err
        throw new UnreadableFileError(`cannot read ${path}`, { cause: err })
      }
    },
    async bytes () {
      try {
        return await readFile(path)
      } catch (err) {
        throw new UnreadableFileError(`cannot read ${path}`, { cause: err })
      }
    }
  }
}

/** Bytes in memory as a Source; chunks are sliced so streaming code paths are exercised. */
export function bytesSource (data: Uint8Array, path = '<memory>', chunkBytes = CHUNK_BYTES): Source {
  return {
    path,
    size: data.length,
    async * chunks (signal?: AbortSignal) {
      for (let i = 0; i < data.length; i += chunkBytes) {
        signal?.throwIfAborted()
        yield data.subarray(i, Math.min(data.length, i + chunkBytes))
      }
    },
    async bytes () { return data }
  }
}
