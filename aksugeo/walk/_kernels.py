"""Compiled shortest-path kernels (numba) on CSR arrays: a bucket queue instead of a heap.

The queue is sequential delta-stepping: distances fall into buckets ``delta`` metres wide, in a
circular array; a bucket's nodes are taken in any order, and a node improved while its bucket
is being emptied goes back into it, so the result is exact (label-correcting inside a bucket,
label-setting across buckets). Pushing and popping cost O(1), against O(log n) in a heap: on
the benchmark's grids this is 3 to 4 times faster than scipy's Fibonacci heap.

The functions release the GIL, so batches of single-source searches run on threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_INF = np.inf


@njit(cache=True, nogil=True, inline="always")
def _push(node: int, bucket: int, head: np.ndarray, e_node: np.ndarray, e_next: np.ndarray,
          free: int, used: int) -> tuple[int, int]:
    """Put ``node`` into ``bucket``; return the new free-list head and pool size."""
    if free >= 0:
        e = free
        free = e_next[e]
    else:
        e = used
        used += 1
    e_node[e] = node
    e_next[e] = head[bucket]
    head[bucket] = e
    return free, used


@njit(cache=True, nogil=True, inline="always")
def _pop(bucket: int, head: np.ndarray, e_node: np.ndarray, e_next: np.ndarray,
         free: int) -> tuple[int, int]:
    """Take a node out of ``bucket``; return it and the new free-list head."""
    e = head[bucket]
    head[bucket] = e_next[e]
    e_next[e] = free
    return e_node[e], e


@njit(cache=True, nogil=True)
def nearest_sources(indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray,
                    delta: float, nb: int, src_node: np.ndarray, src_dist: np.ndarray,
                    src_label: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Multi-source shortest paths: each node's distance to, and label of, its nearest source.

    Parameters
    ----------
    indptr, indices, weights : numpy.ndarray
        The graph in CSR form (both directions of an undirected edge stored).
    delta : float
        Bucket width in metres.
    nb : int
        Number of buckets in the circle: more than the longest edge spans.
    src_node, src_dist, src_label : numpy.ndarray
        Start nodes, their starting distances, and the label each passes on.
    n : int
        Number of nodes.

    Returns
    -------
    dist, label : numpy.ndarray
        Distance to the nearest source (inf if none) and its label (-1 if none).
    """
    dist = np.full(n, _INF)
    label = np.full(n, -1, dtype=np.int64)
    head = np.full(nb, -1, dtype=np.int64)
    cap = len(weights) + len(src_node) + 16
    e_node = np.empty(cap, dtype=np.int64)
    e_next = np.empty(cap, dtype=np.int64)
    used, free, count = 0, -1, 0
    for i in range(len(src_node)):
        s = src_node[i]
        if src_dist[i] < dist[s]:
            dist[s] = src_dist[i]
            label[s] = src_label[i]
    # Starts join the queue when the sweep reaches their bucket, not all at once: the circle
    # of buckets spans only the longest edge, and starts may lie much farther apart than that
    # (a snap of 300 m against 20 m edges); queued early, a start would land in a bucket the
    # sweep meets too soon and be taken for stale.
    order = np.argsort(src_dist, kind="mergesort")
    k = 0
    cur = int(src_dist[order[0]] / delta) if len(order) else 0
    while count > 0 or k < len(order):
        if count == 0:  # nothing queued: jump to the next start's bucket
            cur = max(cur, int(src_dist[order[k]] / delta))
        while k < len(order) and int(src_dist[order[k]] / delta) <= cur:
            i = order[k]
            k += 1
            node = src_node[i]
            if dist[node] == src_dist[i] and label[node] == src_label[i]:
                free, used = _push(node, cur % nb, head, e_node, e_next, free, used)
                count += 1
        b = cur % nb
        while head[b] >= 0:
            node, free = _pop(b, head, e_node, e_next, free)
            count -= 1
            d = dist[node]
            if int(d / delta) != cur:
                continue  # a stale entry: the node was improved since
            for j in range(indptr[node], indptr[node + 1]):
                t = indices[j]
                nd = d + weights[j]
                if nd < dist[t]:
                    dist[t] = nd
                    label[t] = label[node]
                    free, used = _push(t, int(nd / delta) % nb, head, e_node, e_next, free,
                                       used)
                    count += 1
        cur += 1
    return dist, label


@njit(cache=True, nogil=True)
def _grow(a: np.ndarray, size: int) -> np.ndarray:
    out = np.empty(max(2 * len(a), size), dtype=a.dtype)
    out[: len(a)] = a
    return out


@njit(cache=True, nogil=True)
def _targets_settled(dist: np.ndarray, tgt_node: np.ndarray, lo: int, hi: int,
                     bound: float) -> bool:
    for k in range(lo, hi):
        if dist[tgt_node[k]] >= bound:
            return False
    return True


@njit(cache=True, nogil=True)
def bounded_searches(indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray,
                     delta: float, nb: int, src_ptr: np.ndarray,
                     src_node: np.ndarray,
                     src_dist: np.ndarray, limit: float, tgt_ptr: np.ndarray,
                     tgt_node: np.ndarray, first: int, last: int, dist: np.ndarray,
                     touched: np.ndarray, e_node: np.ndarray, e_next: np.ndarray,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Single-source searches ``first`` to ``last - 1``, each stopped as early as it may be.

    Search ``i`` starts from nodes ``src_node[src_ptr[i]:src_ptr[i + 1]]`` at their
    ``src_dist``, and runs until every node within ``limit`` and every one of its target nodes
    ``tgt_node[tgt_ptr[i]:tgt_ptr[i + 1]]`` has its final distance. Scratch arrays are reused:
    only the nodes a search touched are reset.

    ``dist`` (all inf, and left so), ``touched`` (``n`` long) and the entry pool ``e_node``,
    ``e_next`` (one entry per directed edge and a few) are scratch arrays the caller keeps, so
    that a call costs nothing in proportion to the graph's size.

    Returns
    -------
    reach_ptr, reach_node, reach_dist : numpy.ndarray
        For each search, the nodes within ``limit`` and their distances (CSR layout).
    tgt_dist : numpy.ndarray
        The distance of every target node (inf where unreachable), aligned to ``tgt_node``.
    """
    head = np.full(nb, -1, dtype=np.int64)
    reach_ptr = np.zeros(last - first + 1, dtype=np.int64)
    reach_node = np.empty(1024, dtype=np.int64)
    reach_dist = np.empty(1024)
    n_reach = 0
    tgt_dist = np.full(tgt_ptr[last] - tgt_ptr[first], _INF)
    for i in range(first, last):
        n_touched, used, free, count = 0, 0, -1, 0
        low = _INF
        for s in range(src_ptr[i], src_ptr[i + 1]):
            node = src_node[s]
            if src_dist[s] < dist[node]:
                if dist[node] == _INF:
                    touched[n_touched] = node
                    n_touched += 1
                dist[node] = src_dist[s]
                low = min(low, src_dist[s])
        for s in range(src_ptr[i], src_ptr[i + 1]):
            node = src_node[s]
            if dist[node] == src_dist[s]:
                free, used = _push(node, int(dist[node] / delta) % nb, head, e_node, e_next,
                                   free, used)
                count += 1
        cur = int(low / delta) if count else 0
        t_lo, t_hi = tgt_ptr[i], tgt_ptr[i + 1]
        while count > 0:
            bound = (cur + 1) * delta  # once bucket cur is empty, all below this are final
            b = cur % nb
            while head[b] >= 0:
                node, free = _pop(b, head, e_node, e_next, free)
                count -= 1
                d = dist[node]
                if int(d / delta) != cur:
                    continue
                for j in range(indptr[node], indptr[node + 1]):
                    t = indices[j]
                    nd = d + weights[j]
                    if nd < dist[t]:
                        if dist[t] == _INF:
                            touched[n_touched] = t
                            n_touched += 1
                        dist[t] = nd
                        if nd > limit and t_lo == t_hi:
                            continue  # beyond reach and no target to find: never expanded
                        free, used = _push(t, int(nd / delta) % nb, head, e_node, e_next, free,
                                           used)
                        count += 1
            if bound > limit and _targets_settled(dist, tgt_node, t_lo, t_hi, bound):
                break
            cur += 1
        for k in range(t_lo, t_hi):
            tgt_dist[k - tgt_ptr[first]] = dist[tgt_node[k]]
        for k in range(n_touched):
            node = touched[k]
            if dist[node] <= limit:
                if n_reach == len(reach_node):
                    reach_node = _grow(reach_node, n_reach + 1)
                    reach_dist = _grow(reach_dist, n_reach + 1)
                reach_node[n_reach] = node
                reach_dist[n_reach] = dist[node]
                n_reach += 1
            dist[node] = _INF
        reach_ptr[i - first + 1] = n_reach
        head[:] = -1
    return reach_ptr, reach_node[:n_reach], reach_dist[:n_reach], tgt_dist


# -- nearest edge: a uniform grid of buckets over the edges ---------------------------------
@njit(cache=True, nogil=True, inline="always")
def _cells_of(ax: float, ay: float, bx: float, by: float, x0: float, y0: float, cell: float,
              nx: int, ny: int) -> tuple[int, int, int, int]:
    """Return the grid cells (column and row ranges) a segment's bounding box covers."""
    i0 = max(0, min(nx - 1, int((min(ax, bx) - x0) / cell)))
    i1 = max(0, min(nx - 1, int((max(ax, bx) - x0) / cell)))
    j0 = max(0, min(ny - 1, int((min(ay, by) - y0) / cell)))
    j1 = max(0, min(ny - 1, int((max(ay, by) - y0) / cell)))
    return i0, i1, j0, j1


@njit(cache=True, nogil=True)
def edge_grid(ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray, x0: float,
              y0: float, cell: float, nx: int, ny: int) -> tuple[np.ndarray, np.ndarray]:
    """Bucket each edge into the grid cells its bounding box covers (CSR: ``ptr``, ``edge``)."""
    m = len(ax)
    count = np.zeros(nx * ny + 1, dtype=np.int64)
    for e in range(m):
        i0, i1, j0, j1 = _cells_of(ax[e], ay[e], bx[e], by[e], x0, y0, cell, nx, ny)
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                count[j * nx + i + 1] += 1
    ptr = np.cumsum(count)
    fill = ptr[:-1].copy()
    edge = np.empty(ptr[-1], dtype=np.int64)
    for e in range(m):
        i0, i1, j0, j1 = _cells_of(ax[e], ay[e], bx[e], by[e], x0, y0, cell, nx, ny)
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                k = j * nx + i
                edge[fill[k]] = e
                fill[k] += 1
    return ptr, edge


@njit(cache=True, nogil=True, inline="always")
def _seg_dist2(px: float, py: float, ax: float, ay: float, bx: float, by: float,
               ) -> tuple[float, float]:
    """Squared distance from a point to a segment, and where along it (0 to 1) it is nearest."""
    dx, dy = bx - ax, by - ay
    ll = dx * dx + dy * dy
    t = 0.0
    if ll > 0.0:
        t = ((px - ax) * dx + (py - ay) * dy) / ll
        t = min(1.0, max(0.0, t))
    qx, qy = ax + t * dx - px, ay + t * dy - py
    return qx * qx + qy * qy, t


@njit(cache=True, nogil=True)
def nearest_edges(px: np.ndarray, py: np.ndarray, ax: np.ndarray, ay: np.ndarray,
                  bx: np.ndarray, by: np.ndarray, allowed: np.ndarray, ptr: np.ndarray,
                  bucket: np.ndarray, x0: float, y0: float, cell: float, nx: int, ny: int,
                  limit: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find the nearest allowed edge of each point within ``limit`` metres, exactly.

    Rings of grid cells are searched outward from the point's cell (clamped to the grid);
    every cell of ring ``r + 1`` and beyond is at least ``r * cell`` from the point, so the
    search stops once the best edge is nearer than that. Ties go to the lower edge index.

    Returns
    -------
    edge, dist, frac : numpy.ndarray
        The edge (-1 when none is within ``limit``), the distance, and the position along the
        edge from its first end (0 to 1).
    """
    n = len(px)
    out_e = np.full(n, -1, dtype=np.int64)
    out_d = np.full(n, np.inf)
    out_t = np.full(n, np.nan)
    lim2 = limit * limit
    for p in range(n):
        x, y = px[p], py[p]
        ci = max(0, min(nx - 1, int(np.floor((x - x0) / cell))))
        cj = max(0, min(ny - 1, int(np.floor((y - y0) / cell))))
        # how far the point lies outside the grid: no cell is nearer than this
        ox = max(0.0, x0 - x, x - (x0 + nx * cell))
        oy = max(0.0, y0 - y, y - (y0 + ny * cell))
        if ox * ox + oy * oy > lim2:
            continue
        best2, best_e, best_t = np.inf, -1, np.nan
        r = 0
        rmax = max(nx, ny)
        while r <= rmax:
            for j in range(cj - r, cj + r + 1):
                if j < 0 or j >= ny:
                    continue
                edge_row = j == cj - r or j == cj + r
                step = 1 if edge_row else 2 * r
                i = ci - r
                while i <= ci + r:
                    if 0 <= i < nx:
                        k = j * nx + i
                        for q in range(ptr[k], ptr[k + 1]):
                            e = bucket[q]
                            if not allowed[e]:
                                continue
                            d2, t = _seg_dist2(x, y, ax[e], ay[e], bx[e], by[e])
                            if d2 < best2 or (d2 == best2 and e < best_e):
                                best2, best_e, best_t = d2, e, t
                    i += step if step > 0 else 1
            reach = r * cell
            if best2 <= reach * reach or reach * reach > lim2:
                break
            r += 1
        if best_e >= 0 and best2 <= lim2:
            out_e[p] = best_e
            out_d[p] = np.sqrt(best2)
            out_t[p] = best_t
    return out_e, out_d, out_t


@njit(cache=True, nogil=True)
def tree_sums(indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray,
              extra: np.ndarray, dist: np.ndarray, start_dist: np.ndarray,
              start_extra: np.ndarray) -> np.ndarray:
    """Sum a quantity along the shortest-path tree of a finished search.

    Each node's parent is the neighbour (or its own start) its distance came from: nodes are
    taken in order of distance, so a parent's sum is known before its children's. A way to
    read metres (or unknown metres) along a walk whose search ran on costs.

    Parameters
    ----------
    indptr, indices, weights : numpy.ndarray
        The graph the search ran on (CSR, both directions stored).
    extra : numpy.ndarray
        The quantity of each stored entry (aligned with ``weights``).
    dist : numpy.ndarray
        The search's distances (inf: not reached).
    start_dist, start_extra : numpy.ndarray
        For each node where the search started, its starting distance and quantity (inf
        and 0 elsewhere).

    Returns
    -------
    numpy.ndarray
        The quantity summed from the start to each node (NaN: not reached).
    """
    n = len(dist)
    out = np.full(n, np.nan)
    order = np.argsort(dist)
    for k in range(n):
        v = order[k]
        d = dist[v]
        if not np.isfinite(d):
            break
        best = start_dist[v]
        value = start_extra[v]
        for j in range(indptr[v], indptr[v + 1]):
            u = indices[j]
            if np.isnan(out[u]):
                continue
            cand = dist[u] + weights[j]
            if cand < best:
                best = cand
                value = out[u] + extra[j]
        out[v] = value
    return out
