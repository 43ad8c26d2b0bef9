/**
 * Open WebUI "Export chats": `[{id, title, chat:{history:{currentId,
 * messages:{…}}, messages[]}, created_at, updated_at}]`, or one chat object.
 * The visible thread walks `parentId` from `history.currentId`; a chat with
 * only the flat `messages[]` is linear. Reasoning and tool calls embedded as
 * `<details type="reasoning"|"tool_calls">` become typed parts.
 */
import type { Conversation, Importer, Message, Part } from './interface.js'
import { streamConversations } from './_json-records.js'
import { parseMarkup } from './_markup.js'
import { splitTree, type TreeNode } from './_tree.js'
import { arr, isObj, lowerRole, metaOf, nonEmpty, obj, requireObj, stableId, str, toMs, type Obj } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'

function contentParts (content: unknown): Part[] {
  if (typeof content === 'string') return parseMarkup(content)
  const parts: Part[] = []
  for (const c of arr(content).map(obj)) {
    if (c === undefined) continue
    if (str(c.type) === 'image_url') parts.push({ type: 'image', pointer: str(obj(c.image_url)?.url) ?? str(c.image_url) })
    else if (typeof c.text === 'string') parts.push(...parseMarkup(c.text))
  }
  return parts
}

function webuiMessage (m: Obj, key: string): Message {
  const parts = contentParts(m.content)
  for (const f of arr(m.files).map(obj)) {
    if (f === undefined) continue
    const name = str(f.name) ?? str(obj(f.file)?.filename)
    if (str(f.type) === 'image') parts.push({ type: 'image', name, pointer: str(f.url) })
    else parts.push({ type: 'file', name, pointer: str(f.id) ?? str(f.url) })
  }
  for (const s of arr(m.sources).map(obj)) {
    const src = obj(s?.source)
    if (src !== undefined) parts.push({ type: 'citation', url: str(src.url) ?? str(src.id), title: str(src.name) })
  }
  return {
    id: nonEmpty(m.id) ?? key,
    role: lowerRole(m.role) ?? 'unknown',
    time: toMs(m.timestamp),
    model: str(m.model) ?? str(arr(m.models)[0]),
    author: str(m.modelName),
    parts,
    meta: metaOf({ done: m.done === false ? 'false' : undefined })
  }
}

export function openwebuiConversation (raw: unknown): Conversation {
  const row = requireObj(raw, 'chat')
  const chat = obj(row.chat) ?? row
  const history = obj(chat.history)
  if (history === undefined && !Array.isArray(chat.messages)) throw new InvalidRecordShapeError('not an Open WebUI chat')
  const nodes = new Map<string, TreeNode>()
  const hmsgs = obj(history?.messages)
  if (hmsgs !== undefined && Object.keys(hmsgs).length > 0) {
    for (const [key, v] of Object.entries(hmsgs)) {
      if (!isObj(v)) continue
      const m = webuiMessage(v, key)
      nodes.set(key, { id: key, parent: nonEmpty(v.parentId), message: m.parts.length > 0 ? m : undefined })
    }
  } else {
    let prev: string | undefined
    for (const [i, v] of arr(chat.messages).entries()) {
      if (!isObj(v)) continue
      const m = webuiMessage(v, `i${i}`)
      const key = m.id
      nodes.set(key, { id: key, parent: nonEmpty(v.parentId) ?? prev, message: m.parts.length > 0 ? m : undefined })
      prev = key
    }
  }
  const t = splitTree(nodes, nonEmpty(history?.currentId))
  const created = toMs(row.created_at) ?? toMs(chat.timestamp)
  return {
    provider: 'openwebui',
    id: nonEmpty(row.id) ?? nonEmpty(chat.id) ?? stableId(chat.title, chat.timestamp, [...nodes.keys()].slice(0, 4)),
    title: nonEmpty(row.title) ?? nonEmpty(chat.title),
    model: str(arr(chat.models)[0]),
    created,
    updated: toMs(row.updated_at) ?? created,
    messages: t.messages,
    branches: t.branches,
    tags: metaOf({ folder_id: row.folder_id, tags: arr(chat.tags).map(x => str(x) ?? str(obj(x)?.name)).filter(x => x !== undefined).join(',') })
  }
}

export const openwebui: Importer = {
  format: 'openwebui',
  provider: 'openwebui',
  name: 'openwebui-chats-json',
  read (source, ctx) {
    return streamConversations(source, ctx, {}, openwebuiConversation)
  }
}
