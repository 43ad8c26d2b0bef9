import { DEFAULT_EMBED_BATCH } from './constants.js'
import { EmbedderMismatchError } from './errors.js'
import { normalize } from './vectors.js'
import type { Embedder, IndexedDoc } from './interface.js'

/**
 * Embeds docs in batches, as unit vectors by CID. A failed batch is reported through
 * `onError` and left out (its docs stay pending); only an abort is thrown.
 */
export async function embedDocs (e: Embedder, docs: IndexedDoc[], onError: (err: Error) => void, signal?: AbortSignal): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>()
  for (let i = 0; i < docs.length; i += DEFAULT_EMBED_BATCH) {
    const chunk = docs.slice(i, i + DEFAULT_EMBED_BATCH)
    try {
      const vs = await e.embed(chunk.map(d => d.title === undefined ? d.text : `${d.title}\n${d.text}`), { signal, purpose: 'document' })
      if (vs.length !== chunk.length || vs.some(v => v.length !== e.dimensions)) throw new EmbedderMismatchError(`${e.model} returned vectors of the wrong number or length`)
      chunk.forEach((d, j) => out.set(d.cid, normalize(Float32Array.from(vs[j]))))
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err
      onError(err as Error)
    }
  }
  return out
}
