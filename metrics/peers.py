"""Peer comparison: rank and percentile among regions of one level, overall and by area type.

The ranked statistic is the mean (for a village, its own value). Rank 1 is the heaviest burden;
ties share the lowest rank (1, 2, 2, 4). ``percentile`` is 100 × the share of peers whose value is
≤ this one's, so the heaviest is 100. The area-type peer group (农区/牧区/半农半牧; a prefecture's
is the type most of its counties have, see ``hierarchy.AREA_GROUPS``) is used only with at least
:data:`MIN_GROUP` members with a value; a smaller group falls back to all peers, and the output
says so (``peer_group`` NULL).

Fragments over a caller-defined ``listed(code, mean, area_group, …)`` CTE.
"""

from __future__ import annotations

from metrics import sql

MIN_GROUP = 3
PARAMS = {"min_group": MIN_GROUP}

GROUPED: sql.Cte = (
    "grouped",
    """
    SELECT *, CASE WHEN count(mean) OVER (PARTITION BY area_group) >= $min_group
                   THEN area_group END AS peer_group
    FROM listed
    """,
)

# ``*_all`` among every listed region; ``*_in_group`` within the peer group, or as ``*_all``
# where the group is too small.
RANKED: sql.Cte = (
    "ranked",
    """
    SELECT * EXCLUDE (rank_group, percentile_group, peers_group),
           CASE WHEN peer_group IS NULL THEN rank_all ELSE rank_group END AS rank_in_group,
           CASE WHEN peer_group IS NULL THEN percentile_all ELSE percentile_group END
               AS percentile_in_group,
           CASE WHEN peer_group IS NULL THEN peers_all ELSE peers_group END AS peers_in_group
    FROM (
        SELECT *,
               CASE WHEN mean IS NOT NULL THEN rank() OVER (
                   PARTITION BY mean IS NULL ORDER BY mean DESC) END AS rank_all,
               CASE WHEN mean IS NOT NULL THEN 100 * cume_dist() OVER (
                   PARTITION BY mean IS NULL ORDER BY mean) END AS percentile_all,
               count(mean) OVER () AS peers_all,
               CASE WHEN mean IS NOT NULL THEN rank() OVER (
                   PARTITION BY peer_group, mean IS NULL ORDER BY mean DESC) END AS rank_group,
               CASE WHEN mean IS NOT NULL THEN 100 * cume_dist() OVER (
                   PARTITION BY peer_group, mean IS NULL ORDER BY mean) END AS percentile_group,
               count(mean) OVER (PARTITION BY peer_group) AS peers_group
        FROM grouped
    )
    """,
)

CTES: tuple[sql.Cte, ...] = (GROUPED, RANKED)
