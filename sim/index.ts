/**
 * @packageDocumentation
 *
 * Network simulation harness: many nodes in one process, driven only through node/'s
 * public API. Not built yet: it needs the network layer (protocol/).
 */
export {}
