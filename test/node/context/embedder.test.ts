import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Level } from 'level'
import { createSearchIndex, httpEmbedder, localFolderEmbedder, type Embedder } from '../../../node/context/index.js'
import { doc } from './_fixtures.js'

// A fake stands only for the outside provider: a toy "semantic" model on 127.0.0.1 that maps
// a text to counts of a few concept groups, so synonyms land near each other.
const CONCEPTS = [['car', 'automobile', 'vehicle', 'sedan'], ['dog', 'puppy', 'hound'], ['food', 'dinner', 'meal', 'pasta']]
function toyVector (text: string): number[] {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? []
  return CONCEPTS.map(group => words.filter(w => group.includes(w)).length + 0.01)
}

let server: Server
let base: string
let requests: Array<{ url: string, auth?: string, body: { model: string, input: string[] } }>
let failNext = 0

beforeEach(async () => {
  requests = []
  failNext = 0
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = ''
    req.on('data', (c: Buffer) => { raw += c.toString() })
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string, input: string[] }
      requests.push({ url: req.url ?? '', auth: req.headers.authorization, body })
      res.setHeader('content-type', 'application/json')
      if (failNext > 0) { failNext--; res.statusCode = 503; res.end('{"error":"busy"}'); return }
      if (req.url === '/v1/embeddings') res.end(JSON.stringify({ data: body.input.map((t, index) => ({ index, embedding: toyVector(t) })).reverse() }))
      else if (req.url === '/api/embed') res.end(JSON.stringify({ embeddings: body.input.map(toyVector) }))
      else { res.statusCode = 404; res.end('{}') }
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address() as { port: number }
  base = `http://127.0.0.1:${addr.port}`
})
afterEach(async () => { await new Promise(resolve => server.close(resolve)) })

describe('httpEmbedder', () => {
  it('speaks the OpenAI-compatible API with the user\'s key, in input order', async () => {
    const e = httpEmbedder({ api: 'openai', baseUrl: base, model: 'toy', dimensions: 3, apiKey: 'sk-test' })
    const [a, b] = await e.embed(['car', 'dog dog'])
    expect(Array.from(a).map(Math.round)).toEqual([1, 0, 0])
    expect(Array.from(b).map(Math.round)).toEqual([0, 2, 0])
    expect(requests[0]).toMatchObject({ url: '/v1/embeddings', auth: 'Bearer sk-test', body: { model: 'toy', input: ['car', 'dog dog'] } })
  })

  it('speaks the Ollama API', async () => {
    const e = httpEmbedder({ api: 'ollama', baseUrl: base + '/', model: 'toy', dimensions: 3 })
    const [v] = await e.embed(['pasta dinner'])
    expect(Array.from(v).map(Math.round)).toEqual([0, 0, 2])
    expect(requests[0].url).toBe('/api/embed')
    expect(requests[0].auth).toBeUndefined()
  })

  it('fails with typed errors on a bad status or wrong dimensions', async () => {
    failNext = 1
    const e = httpEmbedder({ api: 'openai', baseUrl: base, model: 'toy', dimensions: 3 })
    await expect(e.embed(['x'])).rejects.toMatchObject({ name: 'EmbedderResponseError', status: 503 })
    const wrong = httpEmbedder({ api: 'openai', baseUrl: base, model: 'toy', dimensions: 5 })
    await expect(wrong.embed(['x'])).rejects.toHaveProperty('name', 'EmbedderResponseError')
  })
})

describe('vector search fused with BM25', () => {
  let dir: string
  let db: Level<string, unknown>
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'vivim-vec-')); db = new Level(dir); await db.open() })
  afterEach(async () => { await db.close(); await rm(dir, { recursive: true, force: true }) })

  const docs = [doc('v1', 'We bought a new sedan last week'), doc('v2', 'The puppy chewed my shoes'), doc('v3', 'Pasta for dinner tonight')]

  it('finds a doc with no word in common through its vector; records the model', async () => {
    const embedder = httpEmbedder({ api: 'ollama', baseUrl: base, model: 'toy', dimensions: 3 })
    const ix = createSearchIndex({ db: db.sublevel('s'), embedder })
    await ix.open()
    await ix.add(docs)
    expect((await ix.search('automobile', { topK: 1 })).map(h => h.cid)).toEqual(['v1'])
    expect((await ix.search('automobile', { vectors: false }))).toEqual([])
    expect(ix.status()).toMatchObject({ model: { name: 'toy', dimensions: 3 }, pendingVectors: 0 })
    await ix.close()
    // Reopened: vectors come back from level, no re-embedding.
    const before = requests.length
    const again = createSearchIndex({ db: db.sublevel('s'), embedder })
    await again.open()
    expect((await again.search('hound', { topK: 1 })).map(h => h.cid)).toEqual(['v2'])
    expect(requests.length).toBe(before + 1) // the query only
    await again.close()
  })

  it('refuses to mix models: another model makes the index stale until rebuilt', async () => {
    const toy = httpEmbedder({ api: 'ollama', baseUrl: base, model: 'toy', dimensions: 3 })
    const a = createSearchIndex({ db: db.sublevel('s'), embedder: toy })
    await a.open()
    await a.add(docs)
    await a.close()
    const other: Embedder = { model: 'other', dimensions: 3, embed: toy.embed }
    const b = createSearchIndex({ db: db.sublevel('s'), embedder: other })
    await b.open()
    await expect(b.search('sedan')).rejects.toHaveProperty('name', 'IndexStaleError')
    await b.rebuild(docs)
    expect(b.status().model).toEqual({ name: 'other', dimensions: 3 })
    expect((await b.search('sedan'))[0].cid).toBe('v1')
    await b.close()
  })

  it('keeps lexical search working when the provider fails, and reports it', async () => {
    const errors: string[] = []
    const embedder = httpEmbedder({ api: 'ollama', baseUrl: base, model: 'toy', dimensions: 3 })
    const ix = createSearchIndex({ embedder, onError: (e) => errors.push(e.name) })
    await ix.open()
    failNext = 1
    await ix.add(docs)
    expect(ix.status().pendingVectors).toBe(3)
    expect((await ix.search('puppy'))[0].cid).toBe('v2')
    expect(errors).toEqual(['EmbedderResponseError'])
    // The next add retries the missing vectors.
    await ix.add([doc('v4', 'A hound howled')])
    expect(ix.status().pendingVectors).toBe(0)
    expect((await ix.search('automobile', { topK: 1 })).map(h => h.cid)).toEqual(['v1'])
    await ix.close()
  })
})

describe('localFolderEmbedder', () => {
  it('fails with EmbedderUnavailableError without a folder or a runtime', async () => {
    await expect(localFolderEmbedder({ folder: '/nonexistent/model' })).rejects.toHaveProperty('name', 'EmbedderUnavailableError')
    const dir = await mkdtemp(join(tmpdir(), 'vivim-model-'))
    try {
      await writeFile(join(dir, 'config.json'), JSON.stringify({ hidden_size: 3 }))
      await expect(localFolderEmbedder({ folder: dir })).rejects.toHaveProperty('name', 'EmbedderUnavailableError')
      const e = await localFolderEmbedder({ folder: dir, runtime: async () => async (texts) => texts.map(t => Float32Array.from(toyVector(t))) })
      expect(e.dimensions).toBe(3)
      expect(Array.from((await e.embed(['dog']))[0]).map(Math.round)).toEqual([0, 1, 0])
    } finally { await rm(dir, { recursive: true, force: true }) }
  })
})
