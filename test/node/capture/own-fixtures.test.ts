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
