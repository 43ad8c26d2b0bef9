/**
 * Grok (xAI) `prod-grok-backend.json`: `{conversations:[{conversation,
 * responses:[{response}]}], projects?, …}`. Responses form a tree through
 * `parent_response_id`; the visible thread ends at `leaf_response_id` (or the
 * latest leaf). Timestamps are ISO strings or Mongo `{$date:{$numberLong}}`.
 */
import type { Conversation, Importer, Message, Part } from './interface.js'
import { streamConversations } from './_json-records.js'
import { parseMarkup } from './_markup.js'
import { splitTree, type TreeNode } from './_tree.js'
import { arr, isObj, lowerRole, metaOf, nonEmpty, obj, requireObj, stableId, str, toMs, type Obj } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'

function grokMessage (r: Obj, index: number): Message {
  const parts: Part[] = []
  const thinking = nonEmpty(r.thinking_trace)
  if (thinking !== undefined) parts.push({ type: 'reasoning', text: thinking })
  parts.push(...parseMarkup(str(r.message) ?? ''))
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

export function grokConversation (raw: unknown): Conversation {
  const item = requireObj(raw, 'conversation item')
  const c = obj(item.conversation) ?? (Array.isArray(item.responses) ? {} : undefined)
  if (c === undefined || !Array.isArray(item.responses)) throw new InvalidRecordShapeError('not a Grok conversation')
  const nodes = new Map<string, TreeNode>()
  for (const [i, x] of item.responses.entries()) {
    const r = isObj(x) ? (obj(x.response) ?? x) : undefined
    if (r === undefined) continue
    const m = grokMessage(r, i)
    nodes.set(m.id, { id: m.id, parent: nonEmpty(r.parent_response_id), message: m.parts.length > 0 ? m : undefined })
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
    return streamConversations(source, ctx, { arrayKey: 'conversations' }, grokConversation)
  }
}
