/** The public entry points: options, progress, abort, idempotency across overlapping exports, sink contract. */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importBytes, importFile, detectBytes, type ImportProgress } from '../../../node/capture/index.js'
import { MemorySink } from './_sink.js'

const dir = fileURLToPath(new URL('../../fixtures/capture/', import.meta.url))

function chatgptExport (n: number, start = 0): string {
  const convs = []
  for (let i = start; i < start + n; i++) {
    convs.push({
      id: `c${i}`,
      title: `Conversation ${i}`,
      create_time: 1700000000 + i,
      current_node: `c${i}-a`,
      mapping: {
        root: { id: 'root', parent: null, children: [`c${i}-u`], message: null },
        [`c${i}-u`]: { id: `c${i}-u`, parent: 'root', children: [`c${i}-a`], message: { id: `c${i}-u`, author: { role: 'user' }, create_time: 1700000000 + i, content: { content_type: 'text', parts: [`question ${i}`] } } },
        [`c${i}-a`]: { id: `c${i}-a`, parent: `c${i}-u`, children: [], message: { id: `c${i}-a`, author: { role: 'assistant' }, create_time: 1700000001 + i, content: { content_type: 'text', parts: [`answer ${i}`] } } }
      }
    })
  }
  return JSON.stringify(convs)
}

describe('capture API', () => {
  it('an overlapping later export adds only what is new', async () => {
    const sink = new MemorySink()
    const first = await importBytes(sink, chatgptExport(3, 0))
    expect(first).toMatchObject({ conversations: 3, messages: 6, added: 6, alreadyPresent: 0 })
    const second = await importBytes(sink, chatgptExport(3, 2))
    expect(second).toMatchObject({ conversations: 3, messages: 6, added: 4, alreadyPresent: 2 })
    expect(sink.all()).toHaveLength(10)
    expect(first.sourceSha256).not.toBe(second.sourceSha256)
  })

  it('capsule: one per provider by default, overridden by the option', async () => {
    const a = new MemorySink()
    await importBytes(a, chatgptExport(1))
    expect(a.calls[0].opts).toEqual({ capsule: 'chatgpt' })
    const b = new MemorySink()
    await importBytes(b, chatgptExport(1), { capsule: 'work' })
    expect(b.calls[0].opts).toEqual({ capsule: 'work' })
    expect(b.all().every(i => i.capsule === 'work')).toBe(true)
  })

  it('reports progress up to the whole size, with counts', async () => {
    const sink = new MemorySink()
    const text = chatgptExport(50)
    const seen: ImportProgress[] = []
    await importBytes(sink, text, { onProgress: p => seen.push(p) })
    const last = seen.at(-1)
    expect(last).toEqual({ bytes: Buffer.byteLength(text), total: Buffer.byteLength(text), conversations: 50, messages: 100 })
    for (let i = 1; i < seen.length; i++) expect(seen[i].bytes).toBeGreaterThanOrEqual(seen[i - 1].bytes)
  })

  it('an aborted import throws AbortError; one aborted before it starts stores nothing', async () => {
    const ac = new AbortController()
    ac.abort(new Error('user pressed ^C'))
    const sink = new MemorySink()
    await expect(importBytes(sink, chatgptExport(2), { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(sink.calls).toHaveLength(0)
    const mid = new AbortController()
    const sink2 = new MemorySink()
    const orig = sink2.putMany.bind(sink2)
    sink2.putMany = async (inputs, opts) => { const r = await orig(inputs, opts); mid.abort(); return r }
    await expect(importBytes(sink2, chatgptExport(5), { signal: mid.signal })).rejects.toMatchObject({ name: 'AbortError' })
    // whole conversations only
    expect(sink2.calls).toHaveLength(1)
    expect(sink2.all()).toHaveLength(2)
  })

  it('records the source: hash, format, importer and version', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, dir + 'grok-mongo-dates.json')
    expect(sink.sources).toEqual([{ sha256: r.sourceSha256, path: dir + 'grok-mongo-dates.json', format: 'grok', importer: 'grok-backend-json', version: r.version, conversations: 1, messages: 3 }])
  })

  it('rejects bad arguments with typed errors', async () => {
    await expect(importFile({} as MemorySink, dir + 'plain.txt')).rejects.toMatchObject({ name: 'InvalidParametersError' })
    await expect(importFile(new MemorySink(), '')).rejects.toMatchObject({ name: 'InvalidParametersError' })
    await expect(importFile(new MemorySink(), dir + 'plain.txt', { capsule: '' })).rejects.toMatchObject({ name: 'InvalidParametersError' })
    await expect(importBytes(new MemorySink(), 42 as unknown as string)).rejects.toMatchObject({ name: 'TypeError' })
    await expect(importBytes(new MemorySink(), '')).rejects.toMatchObject({ name: 'NotAnExportError' })
  })

  it('detects from content, not name', async () => {
    expect(await detectBytes('{"messages":[{"role":"user","content":"hi"}]}\n')).toBe('openai-messages')
    expect(await detectBytes('[{"uuid":"x","name":"n","chat_messages":[]}]')).toBe('claude')
    expect(await detectBytes('[{"header":"Gemini Apps","title":"Prompted hi","time":"2026-01-01T00:00:00Z","products":["Gemini Apps"]}]')).toBe('gemini')
    // a Claude export whose message text mentions "mapping": keys inside strings do not count
    expect(await detectBytes('[{"uuid":"x","chat_messages":[{"text":"\\"mapping\\": {}"}]}]')).toBe('claude')
    await expect(detectBytes('{"dependencies":{}}')).rejects.toMatchObject({ name: 'NotAnExportError' })
    await expect(detectBytes(new Uint8Array([0, 1, 2, 3, 255]))).rejects.toMatchObject({ name: 'NotAnExportError' })
  })

  it('a sink failure propagates; what was written before is whole, and a retry completes it', async () => {
    const sink = new MemorySink()
    let n = 0
    const orig = sink.putMany.bind(sink)
    const diskFull = new Error('disk full')
    sink.putMany = async (inputs, opts) => { if (++n === 2) throw diskFull; return orig(inputs, opts) }
    await expect(importBytes(sink, chatgptExport(3))).rejects.toBe(diskFull)
    expect(sink.all()).toHaveLength(2)
    sink.putMany = orig
    const r = await importBytes(sink, chatgptExport(3))
    expect(r).toMatchObject({ added: 4, alreadyPresent: 2 })
  })

  it('an export folder: every export file by content, a broken file reported and skipped, projects/ read', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'vivim-capture-'))
    try {
      await copyFile(dir + 'claude-2025-blocks.json', join(tmp, 'conversations.json'))
      await copyFile(dir + 'claude-memories.json', join(tmp, 'memories.json'))
      await copyFile(dir + 'chatgpt-truncated.json', join(tmp, 'conversations-000.json'))
      await writeFile(join(tmp, 'users.json'), '[{"uuid":"u"}]')
      await mkdir(join(tmp, 'projects'))
      await copyFile(dir + 'claude-projects.json', join(tmp, 'projects', 'garden.json'))
      const sink = new MemorySink()
      const r = await importFile(sink, tmp)
      expect(r.format).toBe('folder')
      expect(r.files?.map(p => p.slice(tmp.length + 1))).toEqual(['conversations.json', 'memories.json', 'projects/garden.json'])
      expect(r).toMatchObject({ conversations: 5, messages: 12, added: 12 })
      expect(r.skipped).toEqual([expect.objectContaining({ file: join(tmp, 'conversations-000.json'), error: 'MalformedExportError' })])
      expect(sink.sources.map(s => s.format)).toEqual(['claude', 'claude-memories', 'claude-projects'])
    } finally {
      await rm(tmp, { recursive: true, force: true })
    }
  })

  it('importBytes reads a zip archive held in memory', async () => {
    const sink = new MemorySink()
    const r = await importBytes(sink, await readFile(dir + 'claude-export.zip'), { path: 'upload.zip' })
    expect(r).toMatchObject({ format: 'zip', conversations: 5, messages: 12 })
    expect(r.files?.[0]).toBe('upload.zip!/data-2025/conversations.json')
  })

  it('a message without a time takes the previous one, marked as estimated', async () => {
    const conv = JSON.parse(chatgptExport(1))
    conv[0].mapping['c0-a'].message.create_time = null
    const sink = new MemorySink()
    await importBytes(sink, JSON.stringify(conv))
    const [u, a] = sink.all()
    expect(a.time).toBe(u.time)
    expect(a.tags?.time_estimated).toBe('true')
    expect(u.tags?.time_estimated).toBeUndefined()
  })

  it('an Open WebUI chat saved on one line is not taken for OpenAI JSONL', async () => {
    const chat = { id: 'x', title: 't', history: { currentId: 'b', messages: { a: { id: 'a', parentId: null, role: 'user', content: 'hi', timestamp: 1 }, b: { id: 'b', parentId: 'a', role: 'assistant', content: 'yo', timestamp: 2 } } }, messages: [{ id: 'a', role: 'user', content: 'hi' }] }
    expect(await detectBytes(JSON.stringify(chat))).toBe('openwebui')
  })
})
