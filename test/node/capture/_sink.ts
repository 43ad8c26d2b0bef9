/**
 * An in-memory CaptureSink standing in for the node: it records every
 * putMany call as it was made and answers hasUri only from what it stored.
 * `failAfter` makes putMany throw after n calls (to test partial failures).
 */
import type { CaptureSink, PutInput, PutManyOptions, SourceRecord } from '../../../node/capture/index.js'

export interface PutCall { inputs: PutInput[], opts?: PutManyOptions }

export class MemorySink implements CaptureSink {
  readonly calls: PutCall[] = []
  readonly byUri = new Map<string, PutInput>()
  /** Uris only, when inputs are not kept. */
  private readonly uris = new Set<string>()
  readonly sources: SourceRecord[] = []
  /** When false, inputs are not kept (benchmarks): only uris and counts. */
  private readonly keep: boolean
  frames = 0
  firstPutAt?: number

  constructor (opts: { keep?: boolean } = {}) {
    this.keep = opts.keep ?? true
  }

  async putMany (inputs: PutInput[], opts?: PutManyOptions): Promise<{ cids: string[] }> {
    if (!Array.isArray(inputs)) throw new TypeError('inputs must be an array')
    const cids: string[] = []
    for (const input of inputs) {
      if (typeof input.text !== 'string') throw new TypeError('text must be a string')
      if (input.uri !== undefined) {
        if (this.byUri.has(input.uri) || this.uris.has(input.uri)) throw new Error(`duplicate uri stored: ${input.uri}`)
        if (this.keep) this.byUri.set(input.uri, input)
        else this.uris.add(input.uri)
      }
      cids.push(`cid-${this.frames++}`)
    }
    this.calls.push({ inputs: this.keep ? inputs : [], opts })
    this.firstPutAt ??= performance.now()
    return { cids }
  }

  async hasUri (uri: string): Promise<boolean> {
    return this.byUri.has(uri) || this.uris.has(uri)
  }

  async recordSource (record: SourceRecord): Promise<void> {
    this.sources.push(record)
  }

  /** Every stored frame, in the order stored. */
  all (): PutInput[] {
    return this.calls.flatMap(c => c.inputs)
  }

  /** Frames of the visible threads (no branch). */
  main (): PutInput[] {
    return this.calls.filter(c => c.opts?.branch === undefined).flatMap(c => c.inputs)
  }

  /** Frames of branches. */
  branches (): PutInput[] {
    return this.calls.filter(c => c.opts?.branch !== undefined).flatMap(c => c.inputs)
  }
}

/** Repository root's sibling `shared/fixtures/exports`, or undefined. */
export const SHARED_EXPORTS = new URL('../../../../shared/fixtures/exports/', import.meta.url)
