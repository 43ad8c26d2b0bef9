/**
 * Claude.ai `conversations.json` (Settings → Privacy → Export data): an array
 * of `{uuid, name, created_at, chat_messages[]}` (or one such object, as the
 * web API and browser exporters save it). Messages carry `content[]` blocks
 * (2025: text, thinking, tool_use, tool_result) or only `text` with
 * `<antThinking>`/`<antArtifact>` markup (2024). The bulk export is flat and
 * not always in order, so it is sorted by `created_at`; where messages have
 * `parent_message_uuid` the tree's visible thread ends at `current_leaf_message_uuid`.
 */
import type { Conversation, Importer, Message, Part } from './interface.js'
import { parseMarkup } from './_markup.js'
import { splitTree, type TreeNode } from './_tree.js'
import { arr, isObj, jsonOrString, lowerRole, metaOf, nonEmpty, obj, requireObj, stableId, str, toMs, type Obj } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'
import { streamConversations } from './_json-records.js'

/** Claude's root sentinel for `parent_message_uuid`. */
const ROOT_SENTINEL = '00000000-0000-4000-8000-000000000000'

function toolResultText (v: unknown): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.map(x => (isObj(x) ? str(x.text) ?? jsonOrString(x) : str(x)) ?? '').filter(s => s !== '').join('\n')
  return jsonOrString(v) ?? ''
}

function blockParts (b: Obj): Part[] {
  const type = str(b.type)
  switch (type) {
    case 'text': {
      const parts = parseMarkup(str(b.text) ?? '')
      for (const c of arr(b.citations).map(obj)) {
        if (c === undefined) continue
        const d = obj(c.details)
        parts.push({ type: 'citation', url: str(c.url) ?? str(d?.url), title: str(c.title) ?? str(d?.title), text: str(c.cited_text) })
      }
      return parts
    }
    case 'thinking': {
      const text = str(b.thinking) ?? ''
      const summary = arr(b.summaries).map(s => str(obj(s)?.summary)).filter(s => s !== undefined).join('; ')
      return text === '' && summary === '' ? [] : [{ type: 'reasoning', text, summary: summary === '' ? undefined : summary }]
    }
    case 'tool_use': {
      const name = str(b.name) ?? 'tool'
      const input = obj(b.input)
      const content = str(input?.content)
      if ((name === 'artifacts' || name === 'create_artifact') && content !== undefined) {
        return [{ type: 'artifact', id: str(input?.id), title: str(input?.title), mime: str(input?.type), language: str(input?.language), text: content }]
      }
      // newer artifacts: files written by the create_file tool
      const fileText = str(input?.file_text)
      if (name === 'create_file' && fileText !== undefined) {
        return [{ type: 'artifact', id: str(input?.path), title: str(input?.path)?.split('/').pop() ?? str(input?.description), text: fileText }]
      }
      return [{ type: 'tool-call', name, id: str(b.id), input: jsonOrString(b.input) }]
    }
    case 'tool_result':
      return [{ type: 'tool-result', name: str(b.name), id: str(b.tool_use_id), text: toolResultText(b.content) }]
    case 'image':
      return [{ type: 'image', name: str(b.file_name) ?? str(b.name), pointer: str(b.file_uuid) }]
    default: {
      const t = str(b.text) ?? str(b.content)
      return t !== undefined && t !== '' ? parseMarkup(t) : []
    }
  }
}

function claudeMessage (m: Obj, index: number): Message {
  let parts: Part[] = typeof m.content === 'string' ? parseMarkup(m.content) : []
  for (const b of arr(m.content)) if (isObj(b)) parts.push(...blockParts(b))
  // prefer content[]; fall back to text when the blocks give nothing
  if (!parts.some(p => p.type !== 'citation')) parts = [...parseMarkup(str(m.text) ?? ''), ...parts]
  for (const a of arr(m.attachments).map(obj)) {
    if (a === undefined) continue
    parts.push({ type: 'file', name: str(a.file_name), mime: str(a.file_type), size: typeof a.file_size === 'number' ? a.file_size : undefined, text: str(a.extracted_content) })
  }
  for (const f of [...arr(m.files), ...arr(m.files_v2)].map(obj)) {
    if (f === undefined) continue
    const kind = str(f.file_kind)
    const name = str(f.file_name)
    if (kind === 'image' || (name !== undefined && /\.(png|jpe?g|gif|webp|heic)$/i.test(name))) parts.push({ type: 'image', name, pointer: str(f.file_uuid) })
    else parts.push({ type: 'file', name, pointer: str(f.file_uuid) })
  }
  return {
    id: nonEmpty(m.uuid) ?? `i${index}`,
    role: lowerRole(m.sender) ?? 'unknown',
    time: toMs(m.created_at) ?? toMs(m.updated_at),
    parts,
    meta: metaOf({ stop_reason: m.stop_reason, truncated: m.truncated === true ? 'true' : undefined })
  }
}

/**
 * Normalizes one Claude conversation.
 * @throws InvalidRecordShapeError without `chat_messages`
 */
export function claudeConversation (raw: unknown): Conversation {
  const c = requireObj(raw, 'conversation')
  if (!Array.isArray(c.chat_messages)) throw new InvalidRecordShapeError('conversation has no chat_messages')
  const raws = c.chat_messages.map(obj)
  const msgs = raws.map((m, i) => (m === undefined ? undefined : { raw: m, msg: claudeMessage(m, i), i }))
    .filter(x => x !== undefined)
  const isTree = msgs.some(x => str(x.raw.parent_message_uuid) !== undefined)
  let messages: Message[]
  let branches: Conversation['branches'] = []
  if (isTree) {
    const nodes = new Map<string, TreeNode>()
    for (const x of msgs) {
      const parent = str(x.raw.parent_message_uuid)
      nodes.set(x.msg.id, { id: x.msg.id, parent: parent === ROOT_SENTINEL ? undefined : parent, message: x.msg.parts.length > 0 ? x.msg : undefined })
    }
    const t = splitTree(nodes, str(c.current_leaf_message_uuid))
    messages = t.messages
    branches = t.branches
  } else {
    // not guaranteed chronological: sort by time, keep file order (or `index`) for ties
    messages = msgs
      .map(x => ({ ...x, k: typeof x.raw.index === 'number' ? x.raw.index : x.i }))
      .sort((a, b) => ((a.msg.time ?? 0) - (b.msg.time ?? 0)) || (a.k - b.k))
      .map(x => x.msg)
  }
  return {
    provider: 'claude',
    id: nonEmpty(c.uuid) ?? stableId(c.name, c.created_at),
    title: nonEmpty(c.name),
    model: str(c.model),
    created: toMs(c.created_at),
    updated: toMs(c.updated_at),
    messages,
    branches,
    tags: metaOf({ summary: c.summary, project: str(obj(c.project)?.uuid) ?? c.project_uuid })
  }
}

export const claude: Importer = {
  format: 'claude',
  provider: 'claude',
  name: 'claude-conversations-json',
  read (source, ctx) {
    return streamConversations(source, ctx, {}, claudeConversation)
  }
}
