import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { EmbedderUnavailableError } from '../errors.js'
import type { Embedder } from '../interface.js'

/** Options of `localFolderEmbedder`. */
export interface LocalFolderEmbedderInit {
  /** A model folder the user downloaded themselves (e.g. an ONNX export with config.json). */
  folder: string
  /** Overrides the dimensions read from config.json (`hidden_size`). */
  dimensions?: number
  /**
   * A runtime that can run the folder's model: given the folder, returns `embed`. vivim ships
   * none (no ONNX or GGUF runtime is a dependency); the embedding application passes one in.
   */
  runtime?: (folder: string, config: Record<string, unknown>) => Promise<(texts: string[]) => Promise<Float32Array[]>>
}

/**
 * An embedder over a local model folder the user points to. It loads the folder only when a
 * supported runtime is given; otherwise it fails with a clear typed error (no weights are
 * ever downloaded).
 *
 * @throws {EmbedderUnavailableError} when the folder has no config.json or no runtime is given
 */
export async function localFolderEmbedder (init: LocalFolderEmbedderInit): Promise<Embedder> {
  const configPath = join(init.folder, 'config.json')
  try { await access(configPath) } catch { throw new EmbedderUnavailableError(`no model folder at ${init.folder} (config.json missing)`) }
  const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>
  if (init.runtime === undefined) throw new EmbedderUnavailableError('no local embedding runtime is installed; use an HTTP provider (OpenAI-compatible or Ollama)')
  const dimensions = init.dimensions ?? (typeof config.hidden_size === 'number' ? config.hidden_size : undefined)
  if (dimensions === undefined) throw new EmbedderUnavailableError('the model folder does not state its dimensions (hidden_size)')
  const run = await init.runtime(init.folder, config)
  const model = `local:${typeof config._name_or_path === 'string' ? config._name_or_path : init.folder}`
  return { model, dimensions, embed: async (texts) => await run(texts) }
}
