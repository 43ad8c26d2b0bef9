import type { CID } from 'multiformats/cid'
import type { Frame } from '../../dag/index.js'
import type { FrameView } from '../interface.js'

/** The caller-facing shape of a frame (CIDs as strings, tags always present). */
export function frameView (cid: CID, f: Frame, capsule: string): FrameView {
  const v: FrameView = { cid: cid.toString(), kind: f.kind, text: f.text, time: f.time, recorded: f.recorded, author: f.author, tags: f.tags ?? {}, capsule }
  if (f.title != null) v.title = f.title
  if (f.uri != null) v.uri = f.uri
  if (f.conversation != null) v.conversation = f.conversation
  if (f.role != null) v.role = f.role
  if (f.supersedes != null) v.supersedes = f.supersedes.toString()
  return v
}
