/**
 * Grok (xAI) `prod-grok-backend.json`: `{conversations:[{conversation,
 * responses:[{response}]}], media_posts?, projects?, tasks?}`; both arrays
 * are streamed. Responses form a tree through `parent_response_id`; the
 * visible thread ends at `leaf_response_id` (or the latest leaf). Where the
 * links do not form one tree (missing parents), the responses are ordered by
 * time, human first on ties. Timestamps are ISO strings or Mongo
 * `{$date:{$numberLong}}`. `<grok:render card_id>` tags resolve against
 * `card_attachments_json`; Imagine `media_posts` become prompt + image pairs.
 */
import type { Conversation, Importer, Message, Part } from './interface.js'
import { streamConversations } from './_json-records.js'
import { parseMarkup } from './_markup.js'
import { splitTree, type TreeNode } from './_tree.js'
import { arr, isObj, lowerRole, metaOf, nonEmpty, obj, requireObj, stableId, str, toMs, type Obj } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'

function cards (r: Obj): Map<string, { url?: string, title?: string }> {
  const out = new Map<string, { url?: string, title?: string }>()
  for (const c of arr(r.card_attachments_json)) {
    let card: unknown = c
    if (typeof c === 'string') { try { card = JSON.parse(c) } catch { continue } }
    const o = obj(card)
    const id = str(o?.id) ?? str(o?.cardId)
    if (o === undefined || id === undefined) continue
    out.set(id, { url: str(o.url) ?? str(o.link) ?? str(o.original) ?? str(o.image), title: str(o.title) ?? str(o.siteName) })
  }
  return out
}

function grokMessage (r: Obj, index: number): Message {
  const parts: Part[] = []
  const thinking = nonEmpty(r.thinking_trace)
  if (thinking !== undefined) parts.push({ type: 'reasoning', text: thinking })
  const byCard = cards(r)
  for (const p of parseMarkup(str(r.message) ?? '')) {
    const card = p.type === 'citation' && p.ref !== undefined ? byCard.get(p.ref) : undefined
    parts.push(card !== undefined && p.type === 'citation' ? { ...p, url: card.url, title: card.title } : p)
  }
  for (const w of [...arr(r.cited_web_search_results), ...arr(r.web_search_results)].map(obj)) {
    if (w !== undefined) parts.push({ type: 'citation', url: str(w.url), title: str(w.title), text: str(w.preview) })
  }
  for (const u of arr(r.generated_image_urls)) {
    const s = str(u)
    if (s !== undefined) parts.push({ type: 'image', pointer: s })
  }
  for (const a of [...arr(r.image_attachments), ...arr(r.file_attachments)]) {
    const id = str(a) ?? str(obj(a)?.id)
    if (id !== undefined) parts.push({ type: 'file', pointer: `prod-mc-asset-server/${id}/content`, name: str(obj(a)?.name) })
  }
  for (const x of arr(r.xpost_ids)) {
    const s = str(x)
    if (s !== undefined) parts.push({ type: 'citation', ref: `x-post:${s}`, url: `https://x.com/i/status/${s}` })
  }
  const meta = obj(r.metadata)
  return {
    id: nonEmpty(r.response_id) ?? nonEmpty(r._id) ?? `i${index}`,
    role: lowerRole(r.sender) ?? 'unknown',
    time: toMs(r.create_time),
    model: str(r.model) ?? str(obj(meta?.requestModelDetails)?.modelId),
    parts,
    meta: metaOf({ partial: r.partial === true ? 'true' : undefined, manual: r.manual === true ? 'true' : undefined })
  }
}

function imaginePost (p: Obj): Conversation {
  const id = nonEmpty(p.id) ?? stableId(p.original_prompt, p.create_time)
  const time = toMs(p.create_time)
  const link = str(p.link) ?? `https://grok.com/imagine/post/${id}`
  const prompt = nonEmpty(p.original_prompt)
  const messages: Message[] = []
  if (prompt !== undefined) messages.push({ id: 'prompt', role: 'user', time, parts: [{ type: 'text', text: prompt }] })
  messages.push({ id: 'media', role: 'assistant', time, parts: [{ type: str(p.media_type) === 'video' ? 'file' : 'image', pointer: link, name: `Imagine ${str(p.media_type) ?? 'image'}` }] })
  return { provider: 'grok', id: `imagine/${id}`, title: prompt !== undefined ? `Imagine - ${prompt.slice(0, 80)}` : 'Imagine', created: time, messages, branches: [], tags: { kind: 'imagine' } }
}

export function grokConversation (raw: unknown, _index?: number, key?: string): Conversation {
  const item = requireObj(raw, 'conversation item')
  if (key === 'media_posts') return imaginePost(item)
  const c = obj(item.conversation) ?? (Array.isArray(item.responses) ? {} : undefined)
  if (c === undefined || !Array.isArray(item.responses)) throw new InvalidRecordShapeError('not a Grok conversation')
  const nodes = new Map<string, TreeNode>()
  const order: Array<{ id: string, t: number, human: boolean }> = []
  for (const [i, x] of item.responses.entries()) {
    const r = isObj(x) ? (obj(x.response) ?? x) : undefined
    if (r === undefined) continue
    const m = grokMessage(r, i)
    nodes.set(m.id, { id: m.id, parent: nonEmpty(r.parent_response_id), message: m.parts.length > 0 ? m : undefined })
    order.push({ id: m.id, t: m.time ?? 0, human: m.role === 'user' })
  }
  // one root means the parent links are a real tree; otherwise order by time, human first
  const roots = [...nodes.values()].filter(n => n.parent === undefined || !nodes.has(n.parent)).length
  if (roots !== 1) {
    order.sort((a, b) => a.t - b.t || (a.human === b.human ? 0 : a.human ? -1 : 1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    order.forEach((o, i) => { const n = nodes.get(o.id); if (n !== undefined) n.parent = i > 0 ? order[i - 1].id : undefined })
  }
  const t = splitTree(nodes, nonEmpty(c.leaf_response_id))
  const id = nonEmpty(c.conversation_id) ?? nonEmpty(c.id) ?? str(obj(item.responses[0])?.conversation_id) ?? stableId(c.title, c.create_time)
  return {
    provider: 'grok',
    id,
    title: nonEmpty(c.title),
    created: toMs(c.create_time),
    updated: toMs(c.modify_time),
    model: t.messages.find(m => m.model !== undefined)?.model,
    messages: t.messages,
    branches: t.branches,
    tags: metaOf({ summary: c.summary, system_prompt_name: c.system_prompt_name })
  }
}

export const grok: Importer = {
  format: 'grok',
  provider: 'grok',
  name: 'grok-backend-json',
  read (source, ctx) {
    return streamConversations(source, ctx, { arrayKey: ['conversations', 'media_posts'] }, grokConversation)
  }
}
