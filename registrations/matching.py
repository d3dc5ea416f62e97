"""Which existing date becomes which date of an edited series.

A series' dates have no key of their own: their identity is their place in the series. When an
editor changes the time, the weekday, the interval or the end of a series, each existing date is
paired with a date of the new series, keeping their order, so that a date moves (and keeps its
registrations) instead of being cancelled and replaced. Dates found in both series are paired as
they are; between them, the pairing that moves dates the least wins, a date left unpaired
costing half the usual spacing of the series: a small shift pairs everything, a new date
in the middle of the series is created without shifting the others.
"""

import statistics

# Leaving a date unpaired when the series has a single date: pair whatever the distance.
NEVER = 1e15


def match_series(rows, specs, *, exact_only=frozenset()):
    """Pair ``rows`` (existing occurrences) with ``specs`` (wanted dates), both carrying
    ``original_start``. Rows whose id is in ``exact_only`` pair only with the very same date.

    Returns (pairs, unpaired rows, unpaired specs), pairs as (row, spec) in date order."""
    rows = sorted(rows, key=lambda row: row.original_start)
    specs = sorted(specs, key=lambda spec: spec.original_start)
    skip = _skip_cost(rows, specs)
    pairs, lone_rows, lone_specs = [], [], []
    # Dates present in both series anchor the pairing; each stretch between anchors is paired apart.
    i = j = 0
    seg_rows, seg_specs = [], []
    while i < len(rows) or j < len(specs):
        if i < len(rows) and j < len(specs) and rows[i].original_start == specs[j].original_start:
            _pair_stretch(seg_rows, seg_specs, skip, exact_only, pairs, lone_rows, lone_specs)
            seg_rows, seg_specs = [], []
            pairs.append((rows[i], specs[j]))
            i, j = i + 1, j + 1
        elif j >= len(specs) or (i < len(rows) and rows[i].original_start < specs[j].original_start):
            seg_rows.append(rows[i])
            i += 1
        else:
            seg_specs.append(specs[j])
            j += 1
    _pair_stretch(seg_rows, seg_specs, skip, exact_only, pairs, lone_rows, lone_specs)
    pairs.sort(key=lambda pair: pair[1].original_start)
    return pairs, lone_rows, lone_specs


def _skip_cost(rows, specs):
    """Half the median spacing of the new series (else of the old one), in seconds."""
    for dates in ([s.original_start for s in specs], [r.original_start for r in rows]):
        if len(dates) >= 2:
            gaps = [(b - a).total_seconds() for a, b in zip(dates, dates[1:], strict=False)]
            return max(statistics.median(gaps), 1.0) / 2
    return NEVER


def _pair_stretch(rows, specs, skip, exact_only, pairs, lone_rows, lone_specs):
    """Order-keeping pairing of one stretch with the least total move (dynamic programming)."""
    if not rows or not specs:
        lone_rows.extend(rows)
        lone_specs.extend(specs)
        return
    n, m = len(rows), len(specs)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]  # 1: row alone, 2: spec alone, 3: paired
    for i in range(1, n + 1):
        cost[i][0], step[i][0] = i * skip, 1
    for j in range(1, m + 1):
        cost[0][j], step[0][j] = j * skip, 2
    for i in range(1, n + 1):
        row = rows[i - 1]
        pairable = row.pk not in exact_only
        start = row.original_start
        for j in range(1, m + 1):
            best, how = cost[i - 1][j] + skip, 1
            if cost[i][j - 1] + skip < best:
                best, how = cost[i][j - 1] + skip, 2
            if pairable:
                paired = cost[i - 1][j - 1] + abs((specs[j - 1].original_start - start).total_seconds())
                if paired <= best:
                    best, how = paired, 3
            cost[i][j], step[i][j] = best, how
    i, j = n, m
    while i or j:
        how = step[i][j]
        if how == 3:
            pairs.append((rows[i - 1], specs[j - 1]))
            i, j = i - 1, j - 1
        elif how == 1:
            lone_rows.append(rows[i - 1])
            i -= 1
        else:
            lone_specs.append(specs[j - 1])
            j -= 1
