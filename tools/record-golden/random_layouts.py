"""Seeded random VG layouts: PV sizes and free/used patterns.

Every generator takes a random.Random so a category always yields the same
scenarios; the free space is produced by removing "punch" LVs after the used
space was filled, the way holes appear in real VGs.
"""

from scenario import free_to_used


def random_pvs(rng, count, lo, hi):
    return [rng.randint(lo, hi) for _ in range(count)]


def random_free(rng, pvs, max_runs, empty_prob=0.15, full_prob=0.1):
    """{pv: [(a, b)]} free runs (inclusive, ascending, non-touching)."""
    free = {}
    for i, n in enumerate(pvs):
        r = rng.random()
        if r < empty_prob:
            free[i] = [(0, n - 1)]
            continue
        if r < empty_prob + full_prob:
            free[i] = []
            continue
        k = rng.randint(1, max_runs)
        cuts = sorted(rng.sample(range(n + 1), min(2 * k, n + 1)))
        runs = []
        for j in range(0, len(cuts) - 1, 2):
            a, b = cuts[j], cuts[j + 1] - 1
            if b >= a and (not runs or a > runs[-1][1] + 1):
                runs.append((a, b))
        free[i] = runs
    return free


def equal_runs(n, size, gap, start=0):
    """n free runs of `size` separated by `gap` used extents, from `start`."""
    return [(start + j * (size + gap), start + j * (size + gap) + size - 1) for j in range(n)]


def setup_for(rng, pvs, free, max_fillers=3):
    """Setup steps producing exactly `free`: punch LVs over the free runs,
    1..max_fillers filler LVs over the used space (PVs split between them)."""
    used = {}
    for i, n in enumerate(pvs):
        u = free_to_used(n, free.get(i, [(0, n - 1)]))
        if u:
            used[i] = u
    steps = []
    holes = {i: r for i, r in free.items() if r}
    punch = rng.random() < 0.6 and holes and used
    if punch:
        steps.append(("punch", holes))
    k = rng.randint(1, max_fillers)
    groups = [dict() for _ in range(k)]
    for i, u in used.items():
        groups[rng.randrange(k)][i] = u
    steps += [("fill", g) for g in groups if g]
    return steps


def free_count(free):
    return sum(b - a + 1 for runs in free.values() for a, b in runs)
