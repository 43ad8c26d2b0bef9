/**
 * Claude.ai `memories.json`: `[{conversations_memory, project_memories:
 * {<project uuid>: text}, account_uuid}]`. Each memory becomes a note.
 */
import type { Conversation, Importer, Message } from './interface.js'
import { streamConversations } from './_json-records.js'
import { isObj, nonEmpty, obj, requireObj, stableId, str } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'

export function claudeMemory (raw: unknown): Conversation {
  const m = requireObj(raw, 'memory')
  if (!('conversations_memory' in m) && !('project_memories' in m)) throw new InvalidRecordShapeError('not a Claude memory record')
  const account = str(m.account_uuid) ?? stableId(m.conversations_memory)
  const notes: Message[] = []
  const conv = nonEmpty(m.conversations_memory)
  if (conv !== undefined) notes.push({ id: 'conversations', role: 'note', parts: [{ type: 'text', text: conv }], meta: { memory: 'conversations' } })
  const projects = obj(m.project_memories)
  for (const [project, text] of Object.entries(projects ?? {})) {
    const t = nonEmpty(text) ?? (isObj(text) ? nonEmpty(text.memory) : undefined)
    if (t !== undefined) notes.push({ id: `project/${project}`, role: 'note', parts: [{ type: 'text', text: t }], meta: { memory: 'project', project } })
  }
  return { provider: 'claude', id: `memory/${account}`, title: 'Claude memory', messages: notes, branches: [], kind: 'note', uriBase: `claude-memory://${encodeURIComponent(account)}` }
}

export const claudeMemories: Importer = {
  format: 'claude-memories',
  provider: 'claude',
  name: 'claude-memories-json',
  read (source, ctx) {
    return streamConversations(source, ctx, {}, claudeMemory)
  }
}
