/**
 * DeepSeek: the Settings → Export data `conversations.json` (a ChatGPT-like
 * `mapping` whose messages hold `fragments[]`: REQUEST, THINK, RESPONSE,
 * SEARCH…), as an array or one object, and the web API `history_messages`
 * capture (`data.biz_data.{chat_session, chat_messages[]}` with integer
 * `parent_id`s; edits start new roots). Thread: to `current_node` /
 * `current_message_id`, else the latest leaf.
 */
import type { Conversation, Importer, Message, Part } from './interface.js'
import { streamConversations } from './_json-records.js'
import { parseMarkup } from './_markup.js'
import { splitTree, type TreeNode } from './_tree.js'
import { arr, jsonOrString, lowerRole, metaOf, nonEmpty, obj, requireObj, stableId, str, toMs, type Obj } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'

function fragmentParts (m: Obj): { parts: Part[], role?: string } {
  const parts: Part[] = []
  let role: string | undefined
  for (const f of arr(m.fragments).map(obj)) {
    if (f === undefined) continue
    const type = (str(f.type) ?? '').toUpperCase()
    const content = str(f.content) ?? ''
    if (type === 'REQUEST') { role ??= 'user'; parts.push(...parseMarkup(content)) } else if (type === 'THINK') { role ??= 'assistant'; if (content !== '') parts.push({ type: 'reasoning', text: content }) } else if (type === 'SEARCH' || type === 'TOOL_SEARCH') {
      role ??= 'assistant'
      for (const r of arr(f.results).map(obj)) if (r !== undefined) parts.push({ type: 'citation', url: str(r.url), title: str(r.title) })
    } else if (type === 'RESPONSE') {
      role ??= 'assistant'
      parts.push(...parseMarkup(content))
    } else if (content !== '') {
      parts.push({ type: 'text', text: content })
    }
    for (const r of arr(f.references).map(obj)) if (r !== undefined) parts.push({ type: 'citation', url: str(r.url), title: str(r.title) })
  }
  // older API captures: content + thinking_content
  const thinking = nonEmpty(m.thinking_content)
  if (thinking !== undefined) parts.unshift({ type: 'reasoning', text: thinking })
  const content = str(m.content)
  if (content !== undefined && !parts.some(p => p.type !== 'reasoning' && p.type !== 'citation')) parts.push(...parseMarkup(content))
  for (const file of arr(m.files).map(obj)) if (file !== undefined) parts.push({ type: 'file', name: str(file.file_name) ?? str(file.name), pointer: str(file.id) })
  return { parts, role }
}

function deepseekMessage (m: Obj, fallbackId: string): Message {
  const { parts, role } = fragmentParts(m)
  return {
    id: str(m.message_id) ?? str(m.id) ?? fallbackId,
    role: lowerRole(m.role) ?? role ?? 'unknown',
    time: toMs(m.inserted_at) ?? toMs(m.created_at),
    model: str(m.model),
    parts,
    meta: metaOf({ status: m.status, thinking_enabled: m.thinking_enabled, search_enabled: m.search_enabled })
  }
}

function fromMapping (c: Obj): Conversation {
  const mapping = obj(c.mapping) ?? {}
  const nodes = new Map<string, TreeNode>()
  for (const [key, v] of Object.entries(mapping)) {
    const n = obj(v)
    if (n === undefined) continue
    const msg = obj(n.message)
    const m = msg !== undefined ? deepseekMessage(msg, key) : undefined
    if (m !== undefined && m.id !== key && msg?.message_id === undefined) m.id = key
    nodes.set(key, { id: key, parent: str(n.parent), message: m !== undefined && m.parts.length > 0 ? m : undefined })
  }
  const t = splitTree(nodes, str(c.current_node))
  return {
    provider: 'deepseek',
    id: nonEmpty(c.conversation_id) ?? nonEmpty(c.id) ?? stableId(c.title, c.create_time ?? c.inserted_at),
    title: nonEmpty(c.title),
    created: toMs(c.create_time) ?? toMs(c.inserted_at),
    updated: toMs(c.update_time) ?? toMs(c.updated_at),
    model: t.messages.find(m => m.model !== undefined)?.model,
    messages: t.messages,
    branches: t.branches
  }
}

function fromApi (c: Obj): Conversation {
  const biz = obj(obj(c.data)?.biz_data) ?? obj(c.biz_data) ?? c
  const session = obj(biz.chat_session) ?? {}
  const nodes = new Map<string, TreeNode>()
  for (const [i, x] of arr(biz.chat_messages).entries()) {
    const msg = obj(x)
    if (msg === undefined) continue
    const m = deepseekMessage(msg, `i${i}`)
    nodes.set(m.id, { id: m.id, parent: str(msg.parent_id), message: m.parts.length > 0 ? m : undefined })
  }
  const t = splitTree(nodes, str(session.current_message_id))
  return {
    provider: 'deepseek',
    id: nonEmpty(session.id) ?? stableId(session.title, session.inserted_at),
    title: nonEmpty(session.title),
    created: toMs(session.inserted_at),
    updated: toMs(session.updated_at),
    model: t.messages.find(m => m.model !== undefined)?.model ?? str(session.model_type),
    messages: t.messages,
    branches: t.branches
  }
}

export function deepseekConversation (raw: unknown): Conversation {
  const c = requireObj(raw, 'conversation')
  if (obj(c.mapping) !== undefined) return fromMapping(c)
  const biz = obj(obj(c.data)?.biz_data) ?? obj(c.biz_data) ?? c
  if (Array.isArray(biz.chat_messages)) return fromApi(c)
  throw new InvalidRecordShapeError(`not a DeepSeek conversation: ${jsonOrString(Object.keys(c).slice(0, 5))}`)
}

export const deepseek: Importer = {
  format: 'deepseek',
  provider: 'deepseek',
  name: 'deepseek-json',
  read (source, ctx) {
    return streamConversations(source, ctx, {}, deepseekConversation)
  }
}
