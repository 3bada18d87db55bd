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

export interface TreeIndex {
  /** id → parent id (absent for roots) */
  parent: Map<string, Id>
  /** id → the node's own id and every descendant id */
  subtree: Map<string, Id[]>
}

/** Parent and subtree lookups for cascading checks. */
export function indexTree<T extends TreeNode<T> & { id: Id }>(nodes: readonly T[] | null | undefined): TreeIndex {
  const parent = new Map<string, Id>()
  const subtree = new Map<string, Id[]>()
  const walk = (node: T): Id[] => {
    const ids: Id[] = [node.id]
    for (const child of childrenOf(node)) {
      parent.set(String(child.id), node.id)
      ids.push(...walk(child))
    }
    subtree.set(String(node.id), ids)
    return ids
  }
  for (const n of nodes ?? []) walk(n)
  return { parent, subtree }
}

/**
 * The checked ids after `id` was checked (on) or unchecked (off) in a
 * cascading tree: checking adds the node, its descendants and its
 * ancestors; unchecking removes the node and its descendants only.
 * Ids already in `checked` keep their original form (number or string).
 */
export function cascadeCheck(index: TreeIndex, checked: readonly Id[], id: Id, on: boolean): Id[] {
  const result = new Map<string, Id>(checked.map((k) => [String(k), k]))
  const own = index.subtree.get(String(id)) ?? [id]
  const add = (k: Id) => {
    if (!result.has(String(k))) result.set(String(k), k)
  }
  if (on) {
    own.forEach(add)
    for (let p = index.parent.get(String(id)); p !== undefined; p = index.parent.get(String(p))) add(p)
  } else {
    for (const k of own) result.delete(String(k))
  }
  return [...result.values()]
}

/** Ids of a node and all of its descendants (to keep a node from becoming its own parent). */
export function subtreeIds<T extends TreeNode<T> & { id: Id }>(node: T): Set<string> {
  return new Set(flattenTree([node]).map((n) => String(n.id)))
}
