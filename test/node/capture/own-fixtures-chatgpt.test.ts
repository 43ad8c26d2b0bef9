/** Conformance over our own ChatGPT fixtures (split export, chat.html, share page), archives, and refused files. */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importFile } from '../../../node/capture/index.js'
import { MemorySink } from './_sink.js'

const dir = fileURLToPath(new URL('../../fixtures/capture/', import.meta.url))
const f = (name: string): string => dir + name
const iso = (t: unknown): string => new Date(t as number).toISOString()

describe('capture: own fixtures (ChatGPT, archives, refusals)', () => {
  it('ChatGPT split export via its manifest: both parts, edited-prompt branch, typed parts, attachments', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('chatgpt-split/export_manifest.json'))
    expect(r).toMatchObject({ format: 'chatgpt-manifest', conversations: 2, messages: 13, branches: 2, added: 13, alreadyPresent: 0 })
    expect(r.files?.map(p => p.split('/').pop())).toEqual(['conversations-000.json', 'conversations-001.json'])
    const a = sink.all().filter(x => x.conversation === 'chatgpt://conv-a')
    const main = a.filter(x => x.branch === undefined)
    expect(main.map(x => x.uri?.split('/').pop())).toEqual(['a-u1', 'a-a1', 'a-u2', 'a-think', 'a-call', 'a-tool', 'a-recap', 'a-final'])
    expect(main.map(x => x.tags?.parts)).toEqual(['image,text', 'citation,text', 'text', 'reasoning', 'tool-call', 'tool-result', 'reasoning', 'artifact,citation,code,entity,text'])
    expect(main[0].time).toBe(1750000001500)
    expect(iso(main[0].time)).toBe('2025-06-15T15:06:41.500Z')
    const img = JSON.parse(main[0].tags?.attachments ?? '[]')
    expect(img).toHaveLength(1)
    expect(img[0]).toMatchObject({ type: 'image', name: 'lyon.jpg', pointer: 'sediment://file_abc123' })
    expect(img[0].localPath).toMatch(/chatgpt-split\/file_abc123\.dat$/)
    expect(main[1].text).toBe('Lyon is known for its cuisine and old town.')
    expect(JSON.parse(main[1].tags?.citations ?? '[]')).toEqual([{ url: 'https://en.wikipedia.org/wiki/Lyon', title: 'Lyon - Wikipedia', ref: '3:0' }])
    expect(main[3].text).toBe('[reasoning: Finding bouchons]\nUser wants food in Lyon.\n[/reasoning]')
    expect(main[4].text).toBe('[tool call: web.run]\n{"search_query":[{"q":"best bouchon Lyon"}]}')
    expect(main[5]).toMatchObject({ role: 'tool', text: '[tool result: web.run]\nDaniel et Denise; Le Bouchon des Filles' })
    expect(main[7].text).toBe("Try a bouchon near Place Bellecour.\n\n```python\nprint('bon appetit')\n```\n\n[artifact: email]\nDear friend, meet me in Lyon.\n[/artifact]")
    expect(JSON.parse(main[7].tags?.citations ?? '[]')[0]).toMatchObject({ url: 'https://example.org/bouchons', ref: 'turn0search1' })
    expect(JSON.parse(main[7].tags?.entities ?? '[]')).toEqual([{ kind: 'place', name: 'Place Bellecour' }])
    const branch = a.filter(x => x.branch !== undefined)
    expect(branch.map(x => [x.branch, x.uri?.split('/').pop(), x.tags?.fork_from])).toEqual([['conv-a/1', 'a-u2-old', 'a-a1'], ['conv-a/1', 'a-a2-old', 'a-a1']])
    // no current_node: the latest leaf is the thread; an orphan with a dangling parent is kept as a branch
    const b = sink.all().filter(x => x.conversation === 'chatgpt://conv-b')
    expect(b.map(x => [x.uri?.split('/').pop(), x.branch])).toEqual([['b-u1', undefined], ['b-a1', undefined], ['b-orphan', 'conv-b/1']])
    expect(b[1].tags?.status).toBe('in_progress')
    expect(b[1].text).toBe('hi, interrupted\n\n[image: sunset.webp]')
    expect(JSON.parse(b[1].tags?.attachments ?? '[]')[0].localPath).toMatch(/chatgpt-split\/file-gen42\.dat$/)
    expect(b[0].title).toBeUndefined()
    // the folder gives the same frames: nothing new
    const again = await importFile(sink, f('chatgpt-split'))
    expect(again).toMatchObject({ added: 0, alreadyPresent: 13 })
  })

  it('a zip export: every export file streamed from the archive, junk and account files ignored', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('claude-export.zip'))
    expect(r).toMatchObject({ format: 'zip', conversations: 5, messages: 12, added: 12, skipped: [] })
    expect(r.files?.map(p => p.split('!/')[1])).toEqual(['data-2025/conversations.json', 'data-2025/memories.json', 'data-2025/projects/garden.json'])
    const sha = (await import('node:crypto')).createHash('sha256').update(await readFile(f('claude-export.zip'))).digest('hex')
    expect(r.sourceSha256).toBe(sha)
    expect(sink.sources.map(s => s.path.split('!/')[1])).toEqual(['data-2025/conversations.json', 'data-2025/memories.json', 'data-2025/projects/garden.json'])
    const again = await importFile(sink, f('claude-export.zip'))
    expect(again).toMatchObject({ added: 0, alreadyPresent: 12 })
    const broken = new MemorySink()
    await expect(importFile(broken, f('broken-export.zip'))).rejects.toMatchObject({ name: 'MalformedExportError' })
    expect(broken.calls).toHaveLength(0)
  })

  it("ChatGPT chat.html: the embedded jsonData gives the same frames as conversations.json", async () => {
    const html = new MemorySink()
    const r = await importFile(html, f('chatgpt-chat.html'))
    expect(r).toMatchObject({ format: 'chatgpt-html', conversations: 2, messages: 13, branches: 2 })
    const json = new MemorySink()
    await importFile(json, f('chatgpt-split'))
    // attachments resolve against the export folder, which chat.html here is not in
    const strip = (x: { text: string, tags?: Record<string, string> }): unknown => ({ ...x, text: x.tags?.attachments !== undefined ? '' : x.text, tags: { ...x.tags, format: undefined, attachments: undefined } })
    expect(html.all().map(strip)).toEqual(json.all().map(strip))
    const sha = (await import('node:crypto')).createHash('sha256').update(await readFile(f('chatgpt-chat.html'))).digest('hex')
    expect(r.sourceSha256).toBe(sha)
  })

  it('a malformed record is skipped with its position, the rest imported', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('chatgpt-one-bad-record.json'))
    expect(r.conversations).toBe(2)
    expect(r.skipped.map(s => [s.position, s.error])).toEqual([[1, 'InvalidRecordJsonError'], [2, 'InvalidRecordShapeError']])
    expect(r.skipped[0].byte).toBeGreaterThan(0)
    expect(sink.all().map(x => x.text)).toEqual(['ping', 'pong', 'ping', 'pong'])
  })

  it('a truncated export stores nothing', async () => {
    const sink = new MemorySink()
    await expect(importFile(sink, f('chatgpt-truncated.json'))).rejects.toMatchObject({ name: 'MalformedExportError' })
    expect(sink.calls).toHaveLength(0)
    expect(sink.sources).toHaveLength(0)
  })

  it('files that are not exports are refused with NotAnExportError and store nothing', async () => {
    for (const name of ['random.bin', 'unknown-shape.json', 'plain-page.html']) {
      const sink = new MemorySink()
      await expect(importFile(sink, f(name)), name).rejects.toMatchObject({ name: 'NotAnExportError' })
      expect(sink.calls).toHaveLength(0)
    }
    await expect(importFile(new MemorySink(), f('no-such-file.json'))).rejects.toMatchObject({ name: 'UnreadableFileError' })
    await expect(importFile(new MemorySink(), f('notes.md'), { format: 'nope' as 'text' })).rejects.toMatchObject({ name: 'UnsupportedFormatError' })
    // a forced format that fits no record: nothing stored
    const forced = new MemorySink()
    await expect(importFile(forced, f('claude-memories.json'), { format: 'chatgpt' })).rejects.toMatchObject({ name: 'NotAnExportError' })
    expect(forced.calls).toHaveLength(0)
  })

  it('old share page (__NEXT_DATA__) uses ChatGPT uris', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('chatgpt-share-next-data.html'))
    expect(sink.all().map(x => [x.uri, x.role, x.text])).toEqual([
      ['chatgpt://share-old-1/s-1', 'user', 'Green or black tea?'],
      ['chatgpt://share-old-1/s-2', 'assistant', 'Green, brewed at 80 °C.']
    ])
    expect(sink.all()[1].tags?.model).toBe('gpt-4')
  })
})
