import { DEFAULT_EMBED_TIMEOUT_MS } from '../constants.js'
import { EmbedderResponseError } from '../errors.js'
import type { EmbedOptions, Embedder } from '../interface.js'

/** Options of `httpEmbedder`. */
export interface HttpEmbedderInit {
  /** `openai`: POST {baseUrl}/v1/embeddings (OpenAI and compatible servers); `ollama`: POST {baseUrl}/api/embed. */
  api: 'openai' | 'ollama'
  /** e.g. `https://api.openai.com` or `http://127.0.0.1:11434`; the user's own. */
  baseUrl: string
  model: string
  dimensions: number
  /** Sent as a bearer token (the user's own key); never logged. */
  apiKey?: string
  /** Asks OpenAI-style servers for this many dimensions (models that allow shortening). */
  requestDimensions?: boolean
  /** Prepended to query and document texts (some models want "query: " / "passage: "). */
  queryPrefix?: string
  documentPrefix?: string
  /** Per-request limit when the caller gives no signal (default `DEFAULT_EMBED_TIMEOUT_MS`). */
  timeoutMs?: number
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch
}

function vectors (body: unknown, api: 'openai' | 'ollama', count: number): number[][] {
  const b = body as { data?: Array<{ embedding?: unknown, index?: number }>, embeddings?: unknown }
  let out: unknown[]
  if (api === 'openai') {
    if (!Array.isArray(b?.data)) throw new EmbedderResponseError('embedding response has no "data" array')
    out = [...b.data].sort((x, y) => (x.index ?? 0) - (y.index ?? 0)).map(d => d.embedding)
  } else {
    if (!Array.isArray(b?.embeddings)) throw new EmbedderResponseError('embedding response has no "embeddings" array')
    out = b.embeddings
  }
  if (out.length !== count) throw new EmbedderResponseError(`expected ${count} embeddings, got ${out.length}`)
  for (const v of out) {
    if (!Array.isArray(v) || v.some(x => typeof x !== 'number' || !Number.isFinite(x))) throw new EmbedderResponseError('an embedding is not an array of numbers')
  }
  return out as number[][]
}

/**
 * An embedder that calls the user's own provider over HTTP: OpenAI-compatible
 * `/v1/embeddings` (`{ model, input }` → `{ data: [{ embedding, index }] }`) or Ollama
 * `/api/embed` (`{ model, input }` → `{ embeddings }`).
 *
 * @throws {EmbedderResponseError} on a non-2xx answer or a malformed body (from `embed`)
 * @example
 * const e = httpEmbedder({ api: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'nomic-embed-text', dimensions: 768 })
 */
export function httpEmbedder (init: HttpEmbedderInit): Embedder {
  if (init.api !== 'openai' && init.api !== 'ollama') throw new TypeError('api: expected "openai" or "ollama"')
  if (!Number.isInteger(init.dimensions) || init.dimensions < 1) throw new RangeError('dimensions: expected a positive integer')
  const base = new URL(init.baseUrl)
  const url = new URL(init.api === 'openai' ? 'v1/embeddings' : 'api/embed', base.href.endsWith('/') ? base : new URL(base.href + '/'))
  const doFetch = init.fetch ?? fetch
  const timeout = init.timeoutMs ?? DEFAULT_EMBED_TIMEOUT_MS
  return {
    model: init.model,
    dimensions: init.dimensions,
    async embed (texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
      if (texts.length === 0) return []
      const prefix = (options.purpose === 'query' ? init.queryPrefix : init.documentPrefix) ?? ''
      const body: Record<string, unknown> = { model: init.model, input: texts.map(t => prefix + t) }
      if (init.api === 'openai' && init.requestDimensions === true) body.dimensions = init.dimensions
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (init.apiKey !== undefined) headers.authorization = `Bearer ${init.apiKey}`
      const res = await doFetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: options.signal ?? AbortSignal.timeout(timeout) })
      if (!res.ok) {
        await res.body?.cancel()
        throw new EmbedderResponseError(`embedding provider answered ${res.status}`, res.status)
      }
      let json: unknown
      try { json = await res.json() } catch { throw new EmbedderResponseError('embedding response is not JSON') }
      return vectors(json, init.api, texts.length).map(v => {
        if (v.length !== init.dimensions) throw new EmbedderResponseError(`expected ${init.dimensions} dimensions, got ${v.length}`)
        return Float32Array.from(v)
      })
    }
  }
}
