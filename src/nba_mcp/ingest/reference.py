"""Reference data: teams and players from the lists bundled in the ``nba_api`` package.

The package ships NBA.com's 30 teams and every player who has had an NBA.com
person id, so this needs no network. Conferences and divisions are not in those
lists; the alignment below has held since the 2004-05 season.
"""

from __future__ import annotations

from nba_mcp.ingest.batch import Record
from nba_mcp.names import name_key

DIVISIONS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("BOS", "BKN", "NYK", "PHI", "TOR"), ("East", "Atlantic")),
    **dict.fromkeys(("CHI", "CLE", "DET", "IND", "MIL"), ("East", "Central")),
    **dict.fromkeys(("ATL", "CHA", "MIA", "ORL", "WAS"), ("East", "Southeast")),
    **dict.fromkeys(("DEN", "MIN", "OKC", "POR", "UTA"), ("West", "Northwest")),
    **dict.fromkeys(("GSW", "LAC", "LAL", "PHX", "SAC"), ("West", "Pacific")),
    **dict.fromkeys(("DAL", "HOU", "MEM", "NOP", "SAS"), ("West", "Southwest")),
}


def team_records() -> list[Record]:
    """The 30 teams with NBA.com ids, names, conference and division."""
    from nba_api.stats.static import teams as static_teams  # only loads need the lists

    records = []
    for team in static_teams.get_teams():
        conference, division = DIVISIONS[team["abbreviation"]]
        records.append(
            {
                "team_id": int(team["id"]),
                "abbreviation": team["abbreviation"],
                "full_name": team["full_name"],
                "nickname": team["nickname"],
                "city": team["city"],
                "conference": conference,
                "division": division,
            }
        )
    return records


def player_records() -> list[Record]:
    """Every player in NBA.com's static list, keyed by person id."""
    from nba_api.stats.static import players as static_players

    return [
        {
            "person_id": int(player["id"]),
            "full_name": player["full_name"],
            "first_name": player["first_name"] or None,
            "last_name": player["last_name"] or None,
            "name_key": name_key(player["full_name"]),
            "is_active": bool(player["is_active"]),
        }
        for player in static_players.get_players()
    ]
