/**
 * Claude.ai `projects.json`: `[{uuid, name, description, prompt_template,
 * created_at, updated_at, docs:[{uuid, filename, content, created_at}]}]`.
 * The description and instructions become notes; each knowledge document is
 * split into passages under `claude-project://<project>/doc/<doc>/`.
 */
import type { Conversation, Importer, Message } from './interface.js'
import { streamConversations } from './_json-records.js'
import { documentConversation } from './_document.js'
import { markdownPassages } from './_passages.js'
import { arr, nonEmpty, obj, requireObj, stableId, str, toMs } from './_util.js'
import { InvalidRecordShapeError } from './errors.js'

export function claudeProject (raw: unknown): Conversation[] {
  const p = requireObj(raw, 'project')
  if (str(p.uuid) === undefined || (p.docs !== undefined && !Array.isArray(p.docs))) throw new InvalidRecordShapeError('project has no uuid')
  const id = str(p.uuid) ?? stableId(p.name)
  const created = toMs(p.created_at)
  const base = `claude-project://${encodeURIComponent(id)}`
  const notes: Message[] = []
  const description = nonEmpty(p.description)
  if (description !== undefined) notes.push({ id: 'description', role: 'note', time: created, parts: [{ type: 'text', text: description }], meta: { section: 'description' } })
  const instructions = nonEmpty(p.prompt_template)
  if (instructions !== undefined) notes.push({ id: 'instructions', role: 'note', time: toMs(p.updated_at) ?? created, parts: [{ type: 'text', text: instructions }], meta: { section: 'instructions' } })
  const tags = { project: id, project_name: str(p.name) ?? '' }
  const out: Conversation[] = [{ provider: 'claude', id, title: nonEmpty(p.name), created, updated: toMs(p.updated_at), messages: notes, branches: [], kind: 'note', uriBase: base, tags }]
  for (const [i, d] of arr(p.docs).entries()) {
    const doc = obj(d)
    const content = str(doc?.content)
    if (doc === undefined || content === undefined) continue
    const docId = str(doc.uuid) ?? stableId(doc.filename, i)
    out.push(documentConversation({
      provider: 'claude',
      id: `${id}/doc/${docId}`,
      uriBase: `${base}/doc/${encodeURIComponent(docId)}`,
      title: str(doc.filename) ?? str(p.name),
      time: toMs(doc.created_at) ?? created,
      passages: markdownPassages(content),
      tags: { ...tags, filename: str(doc.filename) ?? '' }
    }))
  }
  return out
}

export const claudeProjects: Importer = {
  format: 'claude-projects',
  provider: 'claude',
  name: 'claude-projects-json',
  read (source, ctx) {
    return streamConversations(source, ctx, {}, claudeProject)
  }
}
