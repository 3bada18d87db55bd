import { describe, expect, it, vi } from 'vitest'
import { fetchAll } from '@/api/paging'
import { formatDateTime, prettyJson } from '@/utils/format'
import { cascadeCheck, findInTree, flattenTree, flattenWithDepth, indexTree, sameId, subtreeIds } from '@/utils/tree'

interface N {
  id: number
  children?: N[] | null
}

const tree: N[] = [{ id: 1, children: [{ id: 2, children: [{ id: 3 }] }, { id: 4, children: null }] }, { id: 5 }]

describe('tree helpers', () => {
  it('flattens parents first', () => {
    expect(flattenTree(tree).map((n) => n.id)).toEqual([1, 2, 3, 4, 5])
    expect(flattenWithDepth(tree).map((x) => [x.node.id, x.depth])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, 0],
    ])
  })

  it('finds nodes and compares ids across number/string', () => {
    expect(findInTree(tree, (n) => n.id === 3)?.id).toBe(3)
    expect(sameId(3, '3')).toBe(true)
    expect(sameId(null, null)).toBe(false)
  })

  it('cascadeCheck: checking a node adds its subtree and ancestors', () => {
    const idx = indexTree(tree)
    expect(cascadeCheck(idx, [5], 2, true).sort()).toEqual([1, 2, 3, 5])
    expect(cascadeCheck(idx, [], 3, true).sort()).toEqual([1, 2, 3])
  })

  it('cascadeCheck: unchecking a node removes its subtree but keeps ancestors', () => {
    const idx = indexTree(tree)
    expect(cascadeCheck(idx, [1, 2, 3, 4], 2, false).sort()).toEqual([1, 4])
  })

  it('cascadeCheck keeps ids already checked in their original form', () => {
    const idx = indexTree(tree)
    expect(cascadeCheck(idx, ['1', 4], 4, true)).toEqual(['1', 4])
  })

  it('subtreeIds covers a node and its descendants', () => {
    const n1 = tree[0] as N
    expect([...subtreeIds(n1)].sort()).toEqual(['1', '2', '3', '4'])
  })
})

describe('fetchAll', () => {
  it('pages with page_size 200 until total is reached', async () => {
    const fetchPage = vi.fn(async (page: number, size: number) => ({
      items: Array.from({ length: page < 3 ? size : 5 }, (_, i) => (page - 1) * size + i),
      total: 405,
      page,
      page_size: size,
    }))
    const all = await fetchAll(fetchPage)
    expect(all).toHaveLength(405)
    expect(fetchPage.mock.calls).toEqual([
      [1, 200],
      [2, 200],
      [3, 200],
    ])
  })

  it('stops on an empty page', async () => {
    const fetchPage = vi.fn(async () => ({ items: [], total: 999, page: 1, page_size: 200 }))
    expect(await fetchAll(fetchPage)).toEqual([])
    expect(fetchPage).toHaveBeenCalledTimes(1)
  })
})

describe('format', () => {
  it('formats RFC 3339 times in local time', () => {
    const iso = '2024-03-05T01:02:03Z'
    const d = new Date(iso)
    const pad = (n: number) => String(n).padStart(2, '0')
    expect(formatDateTime(iso)).toBe(
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`,
    )
    expect(formatDateTime(null)).toBe('')
    expect(formatDateTime('garbage')).toBe('')
  })

  it('pretty-prints JSON values and JSON strings', () => {
    expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}')
    expect(prettyJson('{"b":2}')).toBe('{\n  "b": 2\n}')
    expect(prettyJson('plain')).toBe('plain')
    expect(prettyJson(null)).toBe('')
  })
})
