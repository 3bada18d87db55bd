// Helpers for the tree-shaped answers (orgs, menus, management roles).
import type { Id } from '@/api/types'

export interface TreeNode<T> {
  children?: T[] | null
}

export function childrenOf<T extends TreeNode<T>>(node: T): T[] {
  return node.children ?? []
}

/** Depth-first, parents before children. */
export function flattenTree<T extends TreeNode<T>>(nodes: readonly T[] | null | undefined): T[] {
  const out: T[] = []
  const walk = (list: readonly T[]) => {
    for (const n of list) {
      out.push(n)
      walk(childrenOf(n))
    }
  }
  walk(nodes ?? [])
  return out
}

/** Like flattenTree, with each node's depth (0 for roots). */
export function flattenWithDepth<T extends TreeNode<T>>(nodes: readonly T[] | null | undefined): { node: T; depth: number }[] {
  const out: { node: T; depth: number }[] = []
  const walk = (list: readonly T[], depth: number) => {
    for (const n of list) {
      out.push({ node: n, depth })
      walk(childrenOf(n), depth + 1)
    }
  }
  walk(nodes ?? [], 0)
  return out
}

export function findInTree<T extends TreeNode<T>>(
  nodes: readonly T[] | null | undefined,
  pred: (node: T) => boolean,
): T | undefined {
  for (const n of nodes ?? []) {
    if (pred(n)) return n
    const hit = findInTree(childrenOf(n), pred)
    if (hit) return hit
  }
  return undefined
}

export function sameId(a: Id | null | undefined, b: Id | null | undefined): boolean {
  return a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b)
}

/** The ids among `ids` whose nodes have no children: what a non-strict el-tree may check on load. */
export function leafIdsOf<T extends TreeNode<T> & { id: Id }>(nodes: readonly T[] | null | undefined, ids: readonly Id[]): Id[] {
  const wanted = new Set(ids.map(String))
  return flattenTree(nodes)
    .filter((n) => childrenOf(n).length === 0 && wanted.has(String(n.id)))
    .map((n) => n.id)
}

/** Ids of a node and all of its descendants (to keep a node from becoming its own parent). */
export function subtreeIds<T extends TreeNode<T> & { id: Id }>(node: T): Set<string> {
  return new Set(flattenTree([node]).map((n) => String(n.id)))
}
