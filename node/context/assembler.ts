import { DEFAULT_CONTEXT_BUDGET } from './constants.js'
import { allocate, DEFAULT_LAYER_BOUNDS, DEFAULT_PRIORITY, LAYER_NAMES, type LayerBounds, type LayerName } from './layers.js'
import { o200kCounter } from './tokens.js'
import type { AssembleOptions, Citation, ContextItem, ContextResult, ContextSources, LayerReport } from './context-interface.js'
import type { TokenCounter } from './tokens.js'

const TITLES: Record<LayerName, string> = {
  identity: '## Who I am',
  preferences: '## My preferences',
  topics: '## Topics and projects',
  entities: '## People and things',
  related: '## Related conversations',
  retrieval: '## Relevant memory',
  recent: '## Recent conversation',
  message: '## My message'
}
/** Shortest cut-down item worth including, in tokens. */
const MIN_PIECE = 12

interface Rendered { item: ContextItem, line: string, tokens: number }

function words (text: string): Set<string> {
  return new Set((text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]{3,}/gu) ?? []))
}

function relevance (item: ContextItem, msg: Set<string>): number {
  let n = 0
  for (const w of words(item.text)) if (msg.has(w)) n++
  return n
}

function day (t: number | undefined): string {
  return t === undefined ? '' : `[${new Date(t).toISOString().slice(0, 10)}] `
}

/**
 * Builds the context for a message, in layers (identity, preferences, topics, entities,
 * related conversations, just-in-time retrieval, recent history, the message), each held
 * between its min and max share of the budget, the whole never over `budget` tokens (counted
 * with a real BPE tokenizer). Items appear once (by CID, then by text), and each cites its
 * frame as `[n]`, listed in `citations` with its CID and URI.
 *
 * @throws {BudgetError} when the layer minimums exceed the budget
 * @throws {RangeError} when the budget is not a positive integer
 */
export async function assembleContext (message: string, options: AssembleOptions = {}, sources: ContextSources): Promise<ContextResult> {
  if (typeof message !== 'string') throw new TypeError('message: expected a string')
  const budget = options.budget ?? DEFAULT_CONTEXT_BUDGET
  if (!Number.isInteger(budget) || budget < 1) throw new RangeError('budget: expected a positive integer')
  const counter: TokenCounter = options.counter ?? await o200kCounter()
  const bounds = Object.fromEntries(LAYER_NAMES.map(n => [n, { ...DEFAULT_LAYER_BOUNDS[n], ...options.layers?.[n] }])) as Record<LayerName, LayerBounds>
  const signal = options.signal
  const msg = words(message)
  const byRelevance = (items: ContextItem[]): ContextItem[] => items
    .map((it, i) => [it, relevance(it, msg), i] as const)
    .sort((a, b) => b[1] - a[1] || a[2] - b[2]).map(x => x[0])

  const [identity, prefs, projects, ideas, people, hits, recent] = await Promise.all([
    sources.identity({ signal }),
    sources.units('preference', { signal }),
    sources.units('project', { signal }),
    sources.units('idea', { signal }),
    sources.units('person', { signal }),
    sources.search(message, { ...options.search, topK: options.search?.topK ?? 40, signal }),
    sources.recent(options.recent ?? 12, { signal })
  ])
  const retrieval: ContextItem[] = hits.map(h => ({ text: h.text, cid: h.cid, uri: h.uri, time: h.time, title: h.title }))
  const related: ContextItem[] = []
  if (sources.around !== undefined) {
    for (const h of hits.slice(0, options.relatedFrom ?? 5)) {
      for (const d of await sources.around(h.cid, 1, 1, { signal })) related.push({ text: d.text, cid: d.cid, uri: d.uri, time: d.time, role: d.role })
    }
  }
  const candidates: Record<LayerName, ContextItem[]> = {
    identity,
    preferences: byRelevance(prefs),
    topics: byRelevance([...projects, ...ideas]).filter((it, i) => i < 3 || relevance(it, msg) > 0),
    entities: byRelevance(people.map(u => ({ text: u.text, cid: u.cid, uri: u.uri, time: u.time, title: u.subject }))).filter((it, i) => i < 3 || relevance(it, msg) > 0),
    related,
    retrieval,
    recent: recent.map(d => ({ text: d.text, cid: d.cid, uri: d.uri, time: d.time, role: d.role })),
    message: [{ text: message }]
  }

  // Remove duplicates: a frame (or the same text) appears once, in the layer of highest priority.
  // Same CID, same text, or text contained in an item already kept (a unit quoting a turn).
  const seenCid = new Set<string>()
  const kept: string[] = []
  for (const name of DEFAULT_PRIORITY) {
    candidates[name] = candidates[name].filter(it => {
      const key = it.text.trim().toLowerCase().replace(/\s+/g, ' ')
      if (key === '' || (it.cid !== undefined && seenCid.has(it.cid))) return false
      if (name !== 'message' && kept.some(k => k.includes(key))) return false
      if (it.cid !== undefined) seenCid.add(it.cid)
      if (name !== 'message') kept.push(key)
      return true
    })
  }

  // Render lines without citation numbers first, to size demands (a marker is ≤ 3 tokens).
  const render = (name: LayerName, it: ContextItem, text = it.text): string => {
    if (name === 'message') return text
    const who = it.role === undefined ? '' : `${it.role}: `
    const head = it.title === undefined ? '' : `${it.title}: `
    return `- ${day(it.time)}${who}${head}${text.replace(/\s+/g, ' ').trim()}`
  }
  const MARK = 4
  const headerTokens = Object.fromEntries(LAYER_NAMES.map(n => [n, counter.count(TITLES[n] + '\n')])) as Record<LayerName, number>
  const lines = {} as Record<LayerName, Rendered[]>
  const demand = {} as Record<LayerName, number>
  for (const name of LAYER_NAMES) {
    lines[name] = candidates[name].map(item => ({ item, line: render(name, item), tokens: counter.count(render(name, item)) + 1 + (item.cid === undefined ? 0 : MARK) }))
    demand[name] = lines[name].length === 0 ? 0 : headerTokens[name] + lines[name].reduce((s, l) => s + l.tokens, 0)
  }
  // Separators between layers ("\n\n") are paid for up front.
  const usable = Math.max(0, budget - 2 * LAYER_NAMES.length)
  const alloc = allocate(usable, demand, bounds, options.priority ?? DEFAULT_PRIORITY)

  // Fill each layer up to its allowance, cutting the last item down when worthwhile.
  const chosen = {} as Record<LayerName, Array<{ item: ContextItem, text: string }>>
  for (const name of LAYER_NAMES) {
    chosen[name] = []
    let left = alloc[name] - headerTokens[name]
    if (left <= 0 || lines[name].length === 0) continue
    for (const l of lines[name]) {
      if (l.tokens <= left) { chosen[name].push({ item: l.item, text: l.line }); left -= l.tokens; continue }
      const room = left - 1 - (l.item.cid === undefined ? 0 : MARK)
      if (room >= MIN_PIECE || (name === 'message' && room > 0)) {
        const cut = counter.truncate(l.line, room - 1)
        if (cut !== '') chosen[name].push({ item: l.item, text: cut + '…' })
      }
      break
    }
  }

  const build = (): ContextResult => {
    const citations: Citation[] = []
    const sections: string[] = []
    const reports: LayerReport[] = []
    for (const name of LAYER_NAMES) {
      const b = bounds[name]
      let section = ''
      if (chosen[name].length > 0) {
        const body = chosen[name].map(c => {
          if (c.item.cid === undefined) return c.text
          citations.push({ n: citations.length + 1, cid: c.item.cid, uri: c.item.uri, layer: name })
          return `${c.text} [${citations.length}]`
        })
        section = `${TITLES[name]}\n${body.join('\n')}`
        sections.push(section)
      }
      reports.push({
        name,
        tokens: section === '' ? 0 : counter.count(section),
        allocated: alloc[name],
        demand: demand[name],
        items: chosen[name].length,
        min: Math.floor(b.min * usable),
        ideal: Math.floor(b.ideal * usable),
        max: Math.floor(b.max * usable)
      })
    }
    const text = sections.join('\n\n')
    return { text, tokens: counter.count(text), layers: reports, citations }
  }
  let out = build()
  // BPE is not additive across joins: if the whole came out over, drop items of the least important layers.
  const order = [...(options.priority ?? DEFAULT_PRIORITY)].reverse()
  while (out.tokens > budget || out.layers.some(l => l.tokens > l.allocated)) {
    const over = out.layers.find(l => l.tokens > l.allocated)?.name
    const name = over ?? order.find(n => chosen[n].length > 0)
    if (name === undefined) break
    chosen[name].pop()
    out = build()
  }
  return out
}
