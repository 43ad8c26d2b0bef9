/**
 * @packageDocumentation
 *
 * Forgetting and garbage collection. `forgetFrames` writes tombstones so frames leave every
 * state from now on; `collectGarbage` applies retention rules and deletes the blocks of frames
 * no branch holds any more, keeping their CIDs as "forgotten" so history walks, verify and
 * exports treat the holes as intended.
 *
 * @example
 * ```ts
 * const node = await createNode({ home, network: false })
 * await node.forget(['bafy…'])           // or node.forget({ query: 'passport number' })
 * await node.gc()                         // the blocks are gone; verify reports them as forgotten
 * ```
 */
export { forgetFrames, findForQuery, shredForgotten } from './forget.js'
export { collectGarbage } from './gc.js'
export { NothingToForgetError } from './errors.js'
export type * from './interface.js'
