/**
 * Conformance over every real export in ../shared/fixtures/exports (read at
 * run time, never copied). Skipped with a printed reason where it is absent.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectFormat, importFile } from '../../../node/capture/index.js'
import { MemorySink, SHARED_EXPORTS } from './_sink.js'

const root = fileURLToPath(SHARED_EXPORTS)
const present = existsSync(root)
if (!present) console.log(`capture: skipping shared fixture conformance, ${root} is absent`)

function listFiles (dir: string): string[] {
  return readdirSync(dir).flatMap(n => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? listFiles(p) : [p]
  }).filter(p => !p.endsWith('.md'))
}

const f = (p: string): string => join(root, p)

// Expected per file: format, conversations, messages (visible + branches), branches.
const EXPECTED: Record<string, { format: string, conversations: number, messages: number, branches: number, skipped?: number }> = {
  'chatgpt/librechat-chatgpt-export-browsing.json': { format: 'chatgpt', conversations: 2, messages: 19, branches: 0 },
  'chatgpt/librechat-chatgpt-tree-branches.json': { format: 'chatgpt', conversations: 1, messages: 11, branches: 2 },
  'chatgpt/polylogue-native-conversation-v1-handwritten.json': { format: 'chatgpt', conversations: 1, messages: 8, branches: 1 },
  'claude/openwebui-importer-claude_thinking_example-handwritten.json': { format: 'claude', conversations: 1, messages: 2, branches: 0 },
  'claude/osteele-rendering-edgecases-handwritten.json': { format: 'claude', conversations: 1, messages: 10, branches: 0 },
  'claude/simonw-artifacts-2024.json': { format: 'claude', conversations: 1, messages: 20, branches: 0 },
  'deepseek/andrmkrff-official-export-shape-handwritten.json': { format: 'deepseek', conversations: 1, messages: 5, branches: 1 },
  'gemini/chatlore-MyActivity-handwritten.json': { format: 'gemini', conversations: 3, messages: 9, branches: 0, skipped: 1 },
  'grok/openwebui-importer-grok_example-2025.json': { format: 'grok', conversations: 1, messages: 10, branches: 0 },
  'openai-messages/openai-cookbook-toy_chat_fine_tuning.jsonl': { format: 'openai-messages', conversations: 5, messages: 19, branches: 0 },
  'openwebui/openwebui-importer-webui-json.json': { format: 'openwebui', conversations: 1, messages: 2, branches: 0 },
  'share-pages/chat2poster-chatgpt-share-modern-2026.html': { format: 'chatgpt-share', conversations: 1, messages: 15, branches: 0 },
  'sillytavern/sillytavern-default-Aqua-1673181146000.jsonl': { format: 'sillytavern', conversations: 1, messages: 1, branches: 0 }
}

describe.skipIf(!present)('capture conformance: ../shared/fixtures/exports', () => {
  const files = present ? listFiles(root) : []

  it('knows every expected fixture (new files get the generic checks below)', () => {
    const found = new Set(files.map(p => relative(root, p)))
    expect(Object.keys(EXPECTED).filter(k => !found.has(k))).toEqual([])
  })

  for (const path of files) {
    const rel = relative(root, path)
    const exp = EXPECTED[rel]
    it(`${rel}: detected, counted, well-formed frames, idempotent`, async () => {
      const format = await detectFormat(path)
      if (exp !== undefined) expect(format).toBe(exp.format)
      const sink = new MemorySink()
      const r = await importFile(sink, path)
      expect(r.format).toBe(format)
      expect(r.conversations).toBeGreaterThan(0)
      if (exp !== undefined) {
        expect(r.conversations).toBe(exp.conversations)
        expect(r.messages).toBe(exp.messages)
        expect(r.branches).toBe(exp.branches)
        expect(r.skipped.length).toBe(exp.skipped ?? 0)
      }
      expect(r.added).toBe(r.messages)
      expect(r.sourceSha256).toMatch(/^[0-9a-f]{64}$/)
      expect(sink.sources).toHaveLength(1)
      expect(sink.sources[0]).toMatchObject({ sha256: r.sourceSha256, format, version: r.version })
      const frames = sink.all()
      expect(frames).toHaveLength(r.messages)
      for (const fr of frames) {
        expect(fr.kind).toBe('message')
        expect(fr.text.trim()).not.toBe('')
        expect(fr.uri).toMatch(/^[a-z-]+:\/\/.+\/.+/)
        expect(['user', 'assistant', 'system', 'tool']).toContain(fr.role)
        expect(fr.conversation).toBeTypeOf('string')
        expect(fr.tags?.parts).toBeTypeOf('string')
        // no provider markup left in the text
        expect(fr.text).not.toMatch(/[\ue200-\ue2ff]|【\d+(:\d+)?†[^】]*】|<antThinking>|<antArtifact|<grok:render/)
        if (fr.time !== undefined) expect(Number.isInteger(fr.time)).toBe(true)
      }
      // one putMany per thread: every call holds frames of one conversation and one branch
      for (const c of sink.calls) {
        expect(new Set(c.inputs.map(i => i.conversation)).size).toBe(1)
        expect(new Set(c.inputs.map(i => i.branch)).size).toBe(1)
        expect(c.inputs.every(i => i.branch === c.opts?.branch)).toBe(true)
      }
      const again = await importFile(sink, path)
      expect(again.added).toBe(0)
      expect(again.alreadyPresent).toBe(r.messages)
      expect(sink.all()).toHaveLength(r.messages)
    })
  }

  it('ChatGPT tree: the visible thread is exactly the path to current_node, branches kept apart', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('chatgpt/librechat-chatgpt-tree-branches.json'))
    const main = sink.main()
    expect(main.map(m => [m.role, m.text.split('\n')[0]])).toEqual([
      ['user', 'hi there'],
      ['assistant', 'Hello! How can I assist you today?'],
      ['user', 'hi again'],
      ['assistant', "Hey! Welcome back. What's on your mind?"],
      ['user', 'tell me a joke'],
      ['assistant', "Sure, here's one for you:"]
    ])
    expect(main.map(m => m.uri?.split('/').pop())).toEqual([
      'aaa297ba-e2da-440e-84f4-e62e7be8b003', 'bda8a275-886d-4f59-b38c-d7037144f0d5', 'aaa236a3-cdfc-4eb1-b5c5-790c6641f880',
      'db88eddf-3622-4246-8527-b6eaf0e9e8cd', 'aaa20127-b9e3-44f6-afbe-a2475838625a', 'f63b8e17-aa5c-4ca6-a1bf-d4d285e269b8'
    ])
    expect(main.at(-1)?.uri).toBe('chatgpt://d5dc5307-6807-41a0-8b04-4acee626eeb7/f63b8e17-aa5c-4ca6-a1bf-d4d285e269b8')
    expect(main.every(m => m.branch === undefined)).toBe(true)
    // times in ms UTC, ascending along the thread
    expect(main[0].time).toBe(Math.round(1714585031.150442 * 1000))
    const times = main.map(m => m.time as number)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
    const branches = sink.calls.filter(c => c.opts?.branch !== undefined)
    expect(branches.map(c => c.opts?.branch)).toEqual(['d5dc5307-6807-41a0-8b04-4acee626eeb7/1', 'd5dc5307-6807-41a0-8b04-4acee626eeb7/2'])
    expect(branches[0].inputs.map(i => i.text.split('\n')[0])).toEqual(['so cool bro', 'Thanks! What brings you here today?', 'tell me a story', "Sure! Here's a short story for you:"])
    expect(branches[0].inputs[0].tags?.fork_from).toBe('bda8a275-886d-4f59-b38c-d7037144f0d5')
    expect(branches[1].inputs).toHaveLength(1)
    expect(branches[1].inputs[0].uri).toMatch(/\/d0d2a7df-/)
    expect(branches[1].inputs[0].tags?.fork_from).toMatch(/^aaa20127-/)
    const mainUris = new Set(main.map(m => m.uri))
    expect(sink.branches().some(b => mainUris.has(b.uri))).toBe(false)
  })

  it('ChatGPT browsing: tool calls, tool results and 【†】 citations become typed parts', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('chatgpt/librechat-chatgpt-export-browsing.json'))
    const frames = sink.all()
    const parts = frames.map(fr => fr.tags?.parts)
    expect(parts).toContain('tool-call')
    expect(parts.filter(p => p?.split(',').includes('tool-result'))).toHaveLength(5)
    expect(parts.filter(p => p?.split(',').includes('citation')).length).toBeGreaterThan(0)
    const cited = frames.find(fr => fr.role === 'assistant' && fr.tags?.citations?.includes('ultimatespecs.com') === true)
    expect(cited?.tags?.parts).toBe('citation,text')
    expect(cited?.text).toMatch(/maintenance of the vehicle\.$/)
    expect(cited?.text).not.toContain('【')
    const call = frames.find(fr => fr.tags?.parts === 'tool-call')
    expect(call?.text).toContain('[tool call: browser]')
    expect(frames[0].time).toBe(Math.round(1704629915.776371 * 1000))
    expect(new Date(frames[0].time as number).toISOString()).toBe('2024-01-07T12:18:35.776Z')
  })

  it('ChatGPT share page: turbo-stream decoded, entities inline, citations and reasoning typed', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('share-pages/chat2poster-chatgpt-share-modern-2026.html'))
    expect(r.format).toBe('chatgpt-share')
    const frames = sink.all()
    expect(frames[0]).toMatchObject({ role: 'user', text: '今天有什么重大新闻？', title: '今天重大新闻概览' })
    expect(frames[0].uri).toBe('chatgpt://69807432-337c-8003-9975-57b27ce55c6f/d79c263e-d091-406c-8f72-f286d88b550a')
    const answer = frames.find(fr => fr.tags?.channel === 'final')
    expect(answer?.tags?.parts?.split(',')).toEqual(expect.arrayContaining(['citation', 'entity', 'text']))
    expect(answer?.text).toContain('U.S. Department of Homeland Security')
    expect(JSON.parse(answer?.tags?.citations ?? '[]')[0].url).toMatch(/^https:\/\/www\.theguardian\.com\//)
    expect(frames.some(fr => fr.tags?.parts === 'reasoning')).toBe(true)
    expect(frames.some(fr => fr.tags?.parts?.includes('image') === true)).toBe(true)
  })

  it('Claude: thinking blocks, artifacts and tool use are typed; flat exports sorted by time', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('claude/openwebui-importer-claude_thinking_example-handwritten.json'))
    const [q, a] = sink.all()
    expect(q).toMatchObject({ role: 'user', text: 'Can you greet me?', time: Date.parse('2025-01-01T00:00:01Z') })
    expect(a.tags?.parts).toBe('reasoning,text')
    expect(a.text).toContain("Hello there! It's great to hear from you.")
    const edge = new MemorySink()
    await importFile(edge, f('claude/osteele-rendering-edgecases-handwritten.json'))
    const m5 = edge.all().find(fr => fr.uri?.endsWith('/msg-5') === true)
    expect(m5?.tags?.parts).toBe('artifact,reasoning,text')
    expect(m5?.text).not.toContain('<antArtifact')
    const m7 = edge.all().find(fr => fr.uri?.endsWith('/msg-7') === true)
    expect(m7?.tags?.parts).toBe('artifact')
    const simon = new MemorySink()
    await importFile(simon, f('claude/simonw-artifacts-2024.json'))
    const times = simon.all().map(fr => fr.time as number)
    expect([...times].sort((x, y) => x - y)).toEqual(times)
    expect(simon.all().some(fr => fr.tags?.parts?.includes('artifact') === true)).toBe(true)
  })

  it('DeepSeek: thread to current_node, THINK fragments as reasoning, offsets converted to UTC', async () => {
    const sink = new MemorySink()
    await importFile(sink, f('deepseek/andrmkrff-official-export-shape-handwritten.json'))
    const main = sink.main()
    expect(main.map(m => m.uri?.split('/').pop())).toEqual(['3', '4', '5'])
    expect(main.map(m => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(main[1].tags?.parts).toBe('code,reasoning,text')
    expect(main[1].text.startsWith('[reasoning]\nПользователь просит функцию факториала.')).toBe(true)
    expect(main[0].time).toBe(Date.parse('2024-12-31T07:45:20Z'))
    expect(sink.branches().map(m => m.uri?.split('/').pop())).toEqual(['1', '2'])
  })

  it('Gemini Takeout: prompts and replies, newest-first reordered, HTML to text, non-prompts ignored', async () => {
    const sink = new MemorySink()
    const r = await importFile(sink, f('gemini/chatlore-MyActivity-handwritten.json'))
    expect(r.skipped[0]).toMatchObject({ position: 6, error: 'InvalidRecordShapeError' })
    const texts = sink.all().map(fr => fr.text)
    expect(texts.slice(0, 4)).toEqual(['Give me a recipe for Neapolitan pizza dough', 'Here is a simple recipe:\n\n- 500 g flour\n- 325 g water\n\nMix & rest.', 'And how long does the dough need to rest?', 'At least 24 hours in the fridge.'])
    expect(texts).toContain('Wie spät ist es in Tokio?')
    expect(texts.join('\n')).not.toMatch(/ignored\(\)|Gave feedback|Searched for/)
  })

  it('Grok, Open WebUI, SillyTavern, OpenAI JSONL: roles, models and times', async () => {
    const grok = new MemorySink()
    await importFile(grok, f('grok/openwebui-importer-grok_example-2025.json'))
    expect(grok.all().map(m => m.role)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 'user' : 'assistant')))
    expect(grok.all()[0]).toMatchObject({ time: Date.parse('2025-06-21T19:28:21.194Z'), conversation: 'grok://9592deb7-27bc-4359-abb5-0967736999e9' })
    const webui = new MemorySink()
    await importFile(webui, f('openwebui/openwebui-importer-webui-json.json'))
    expect(webui.all()[1]).toMatchObject({ role: 'assistant', time: 1744577557000 })
    expect(webui.all()[1].tags?.model).toBe('deepseek/deepseek-chat:free')
    const st = new MemorySink()
    await importFile(st, f('sillytavern/sillytavern-default-Aqua-1673181146000.jsonl'))
    expect(st.all()[0]).toMatchObject({ role: 'assistant', time: 1674563371558, tags: expect.objectContaining({ author: 'Aqua' }) })
    const oa = new MemorySink()
    await importFile(oa, f('openai-messages/openai-cookbook-toy_chat_fine_tuning.jsonl'))
    expect(oa.all()[0]).toMatchObject({ role: 'system', text: 'You are a happy assistant that puts a positive spin on everything.' })
  })
})
