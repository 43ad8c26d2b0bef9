/** Conformance over our own small fixtures (test/fixtures/capture), one or more per format. */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { detectFormat, importFile } from '../../../node/capture/index.js'
import { MemorySink } from './_sink.js'

const dir = fileURLToPath(new URL('../../fixtures/capture/', import.meta.url))
const f = (name: string): string => dir + name
const iso = (t: unknown): string => new Date(t as number).toISOString()

describe('capture: own fixtures', () => {
  const detected: Array<[string, string]> = [
    ['chatgpt-split/conversations-000.json', 'chatgpt'],
    ['chatgpt-split/export_manifest.json', 'chatgpt-manifest'],
    ['chatgpt-one-bad-record.json', 'chatgpt'],
    ['chatgpt-share-next-data.html', 'chatgpt-share'],
    ['chatgpt-chat.html', 'chatgpt-html'],
    ['claude-2025-blocks.json', 'claude'],
    ['claude-webapi-tree.json', 'claude'],
    ['claude-projects.json', 'claude-projects'],
    ['claude-memories.json', 'claude-memories'],
    ['gemini-myactivity.json', 'gemini'],
    ['gemini-myactivity.html', 'gemini-html'],
    ['aistudio-prompt.json', 'aistudio'],
    ['grok-mongo-dates.json', 'grok'],
    ['grok-flat-imagine.json', 'grok'],
    ['deepseek-api-history.json', 'deepseek'],
    ['openwebui-export.json', 'openwebui'],
    ['openai-tools.jsonl', 'openai-messages'],
    ['sillytavern-swipes.jsonl', 'sillytavern'],
    ['notes.md', 'markdown'],
    ['plain.txt', 'text'],
    ['notes-two-pages.pdf', 'pdf'],
    ['claude-export.zip', 'zip']
  ]
  for (const [name, format] of detected) {
    it(`detects ${name} as ${format} from its content`, async () => {
      expect(await detectFormat(f(name))).toBe(format)
    })
  }

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

  it('Claude bulk export: sorted by time with ties in file order, blocks typed, attachments kept', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('claude-2025-blocks.json'))
    expect(r).toMatchObject({ conversations: 2, messages: 6 })
    const all = sink.all()
    expect(all.map(x => x.uri?.split('/').pop())).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-6'])
    expect(all.map(x => x.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'assistant', 'assistant'])
    expect(all[5].text).toBe('[artifact: sort.py]\nprint(sorted([3, 1, 2]))\n\n[/artifact]\n\n[tool result: create_file]\nFile created successfully')
    expect(all[0].text).toBe('Sort this list\n\n[file: list.txt]\n3\n1\n2\n\n[image: screenshot.png]')
    expect(all[1].tags?.parts).toBe('code,reasoning,text')
    expect(all[3].tags?.parts).toBe('citation,text,tool-call,tool-result')
    expect(all[3].time).toBe(Date.parse('2025-03-01T10:03:00Z'))
    expect(all[4].text).toBe('[reasoning]\nAn artifact fits.\n[/reasoning]\n\nSure.\n\n[artifact: Sorter (application/vnd.ant.code)]\nprint(sorted([3,1,2]))\n[/artifact]')
  })

  it('Claude web-API tree: thread to current_leaf_message_uuid, other answer as a branch', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('claude-webapi-tree.json'))
    expect(r.branches).toBe(1)
    expect(sink.main().map(x => x.text)).toEqual(['Name a colour', 'Blue', 'Another'])
    expect(sink.branches().map(x => [x.text, x.branch, x.tags?.fork_from])).toEqual([['Red', 'c-tree/1', 't-1']])
    expect(sink.main()[1].tags?.model).toBe('claude-sonnet-4')
  })

  it('Claude projects and memories become notes and passages', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('claude-projects.json'))
    expect(sink.all().map(x => [x.kind, x.uri, x.tags?.heading])).toEqual([
      ['note', 'claude-project://p-1/description', undefined],
      ['note', 'claude-project://p-1/instructions', undefined],
      ['passage', 'claude-project://p-1/doc/d-1/0', 'Beds'],
      ['passage', 'claude-project://p-1/doc/d-1/1', 'Watering']
    ])
    const mem = new MemorySink()
    await importFile(mem, f('claude-memories.json'))
    expect(mem.all().map(x => [x.kind, x.uri, x.text])).toEqual([
      ['note', 'claude-memory://acc-1/conversations', 'The user grows tomatoes and lives in Lyon.'],
      ['note', 'claude-memory://acc-1/project%2Fp-1', 'Garden beds are 1.2 m wide.']
    ])
  })

  it('Gemini: grouped by app URL, localised prefixes stripped, attachments typed', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('gemini-myactivity.json'))
    expect(r).toMatchObject({ conversations: 2, messages: 6, skipped: [] })
    const app = sink.all().filter(x => x.conversation === 'gemini://abc123')
    expect(app.map(x => [x.role, x.text])).toEqual([
      ['user', 'First question in app chat'],
      ['assistant', '## Answer\n\n- one\n- two\n\nmore\n\n[file: notes.pdf]'],
      ['user', 'Second question in app chat'],
      ['assistant', 'Second <answer>']
    ])
    expect(iso(app[0].time)).toBe('2026-01-05T10:00:00.000Z')
    expect(sink.all().map(x => x.text)).toContain('東京の天気は？')
  })

  it('Gemini HTML Takeout: localised dates to UTC, prompts and replies, broken entries skipped', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('gemini-myactivity.html'))
    expect(r).toMatchObject({ format: 'gemini-html', conversations: 2, messages: 6 })
    expect(r.skipped.map(s => [s.position, s.error])).toEqual([[4, 'InvalidRecordShapeError']])
    expect(sink.all().map(x => [x.role, x.text, iso(x.time)])).toEqual([
      ['user', 'Wie spät ist es?', '2026-03-12T08:00:00.000Z'],
      ['assistant', 'Es ist neun Uhr.', '2026-03-12T08:00:00.000Z'],
      ['user', 'How do I keep basil alive?', '2026-09-02T20:26:27.000Z'],
      ['assistant', 'Water it often & give it sun.\n\n- Pinch the flowers', '2026-09-02T20:26:27.000Z'],
      ['user', 'And mint?', '2026-09-02T20:30:00.000Z'],
      ['assistant', 'Mint spreads; use a pot.', '2026-09-02T20:30:00.000Z']
    ])
    expect(new Set(sink.all().slice(2).map(x => x.conversation)).size).toBe(1)
  })

  it('AI Studio prompt: system instruction, thought chunks as reasoning, streamed parts joined', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('aistudio-prompt.json'))
    expect(sink.all().map(x => [x.role, x.tags?.parts, x.text])).toEqual([
      ['system', 'text', 'Answer briefly.'],
      ['user', 'text', 'Why is the sky blue?'],
      ['assistant', 'reasoning', '[reasoning]\nRayleigh scattering favours short wavelengths.\n[/reasoning]'],
      ['assistant', 'text', 'Because air scatters blue light more than red.'],
      ['user', 'file', '[file: Drive document]']
    ])
    expect(sink.calls[0].opts?.capsule).toBe('aistudio')
  })

  it('Grok: Mongo dates, leaf_response_id thread, regeneration as a branch, artifacts and thinking typed', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('grok-mongo-dates.json'))
    expect(sink.main().map(x => [x.uri, iso(x.time)])).toEqual([['grok://g-1/r-1', '2025-01-01T00:00:00.000Z'], ['grok://g-1/r-3', '2025-01-01T00:00:20.000Z']])
    expect(sink.main()[1].tags?.parts).toBe('artifact,citation,reasoning,text')
    expect(sink.main()[1].tags?.model).toBe('grok-4')
    expect(sink.main()[1].text).not.toMatch(/grok:render|xaiArtifact/)
    expect(sink.branches().map(x => [x.uri, x.branch, x.tags?.model])).toEqual([['grok://g-1/r-2', 'g-1/1', 'grok-3']])
  })

  it('Grok without parent links: time order, human first on ties; cards resolved; Imagine posts streamed', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('grok-flat-imagine.json'))
    expect(r).toMatchObject({ conversations: 2, messages: 4, branches: 0 })
    const [q, a, prompt, media] = sink.all()
    expect([q.uri, q.role, q.text]).toEqual(['grok://g-flat/a', 'user', 'How strong are ants?\n\n[file: prod-mc-asset-server/asset-9/content]'])
    expect([a.uri, a.role, a.text]).toEqual(['grok://g-flat/b', 'assistant', 'Ants lift fifty times their weight.'])
    expect(JSON.parse(a.tags?.citations ?? '[]')).toEqual([{ url: 'https://en.wikipedia.org/wiki/Ant', title: 'Ant - Wikipedia', ref: 'card-1' }])
    expect([prompt.uri, prompt.text, media.tags?.parts, iso(media.time)]).toEqual(['grok://imagine%2Fpost-1/prompt', 'a cat in a teacup', 'image', '2026-02-02T10:00:00.000Z'])
  })

  it('DeepSeek API capture: integer ids, edit roots, current_message_id', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('deepseek-api-history.json'))
    expect(sink.main().map(x => [x.role, x.text])).toEqual([['user', 'Is 97 prime?'], ['assistant', 'Yes, 97 is prime.']])
    expect(sink.branches().map(x => x.text)).toEqual(['Is 91 prime?', '[reasoning]\n91 = 7 * 13.\n[/reasoning]\n\nNo, 91 = 7 × 13.'])
    expect(sink.main()[1].time).toBe(1736000004000)
  })

  it('Open WebUI: currentId thread, regenerated answer as branch, <details> blocks typed', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('openwebui-export.json'))
    expect(sink.main().map(x => x.uri)).toEqual(['openwebui://w-1/w-u1', 'openwebui://w-1/w-a2'])
    expect(sink.main()[1].tags?.parts).toBe('reasoning,text,tool-call,tool-result')
    expect(sink.main()[1].text).toBe('[reasoning: Thought for 1 seconds]\nIt is Paris.\n[/reasoning]\n\n[tool call: lookup]\n{"q":"France"}\n\n[tool result: lookup]\n"Paris"\n\nParis.')
    expect(sink.branches().map(x => x.text)).toEqual(['Lyon'])
  })

  it('OpenAI messages JSONL: tool calls and results typed, bad lines reported by line', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('openai-tools.jsonl'))
    expect(r.conversations).toBe(2)
    expect(r.skipped.map(s => [s.line, s.error])).toEqual([[2, 'InvalidRecordJsonError'], [5, 'InvalidRecordShapeError']])
    const c = sink.calls[0].inputs
    expect(c.map(x => [x.role, x.tags?.parts])).toEqual([['system', 'text'], ['user', 'image,text'], ['assistant', 'tool-call'], ['tool', 'tool-result'], ['assistant', 'text']])
    expect(c[2].text).toBe('[tool call: get_weather]\n{"city":"Oslo"}')
    const again = await importFile(sink, f('openai-tools.jsonl'))
    expect(again.added).toBe(0)
  })

  it('SillyTavern: text dates as UTC, chosen swipe on the thread, other swipes as branches', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('sillytavern-swipes.jsonl'))
    expect(r).toMatchObject({ conversations: 1, messages: 6, branches: 2 })
    const main = sink.main()
    expect(main.map(x => [x.role, x.text, iso(x.time)])).toEqual([
      ['assistant', '*waves* Welcome to the glade.', '2026-08-14T10:03:00.000Z'],
      ['user', 'Where am I?', '2024-12-11T19:39:00.000Z'],
      ['assistant', 'In my forest, safe.', '2026-08-14T10:05:00.000Z'],
      ['system', 'Sam has joined.', '2026-08-14T10:06:00.000Z']
    ])
    expect(sink.branches().map(x => [x.text, x.tags?.fork_from])).toEqual([['You are lost.', 'm2'], ['A dream.', 'm2']])
  })

  it('Markdown: passages under their heading path; code fences are not headings', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('notes.md'))
    expect(r.format).toBe('markdown')
    expect(sink.all().map(x => [x.kind, x.tags?.headings, x.text])).toEqual([
      ['passage', 'Field notes', 'Intro paragraph about bread.'],
      ['passage', 'Field notes > Sourdough', 'Feed the starter daily.\n\n```sh\n# not a heading\necho mix\n```'],
      ['passage', 'Field notes > Sourdough > Hydration', 'Use 75% water.'],
      ['passage', 'Field notes > Setext heading', 'Body under setext.']
    ])
    expect(sink.all()[0].title).toBe('Field notes')
    expect(sink.calls[0].opts?.capsule).toBe('documents')
    const sha = (await import('node:crypto')).createHash('sha256').update(await readFile(f('notes.md'))).digest('hex')
    expect(r.sourceSha256).toBe(sha)
    expect(sink.all()[0].uri).toBe(`document://${sha}/0`)
  })

  it('PDF: one passage group per page with page numbers', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('notes-two-pages.pdf'), { capsule: 'library' })
    expect(r.format).toBe('pdf')
    expect(sink.all().map(x => [x.kind, x.tags?.page, x.text])).toEqual([
      ['passage', '1', 'Field Notes\nChapter 1: Sourdough\nMix flour and water, rest overnight.'],
      ['passage', '2', 'Chapter 2: Baking\nBake at 250 C for 25 minutes.']
    ])
    expect(sink.calls.every(c => c.opts?.capsule === 'library' && c.inputs.every(i => i.capsule === 'library'))).toBe(true)
  })

  it('plain text: one passage', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('plain.txt'))
    expect(sink.all().map(x => x.text)).toEqual(['Meeting on Tuesday.\n\nWe agreed to ship the importer first.'])
  })
})
