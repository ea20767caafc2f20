"""The alias table: what no source settles about who a player is, each entry with its reason.

:data:`LINKS` ties a Basketball-Reference player to his NBA.com person id where the files
give none and no rule of :func:`nba_mcp.ingest.load.merge_players` can tell for sure: two
NBA.com players of one name (a father and son neither of whom NBA.com writes with a
suffix, or two unrelated namesakes), another name (a name changed since he played), or
another form of his given name. Each link names the player NBA.com lists under that id, and
a load refuses the table if NBA.com's list disagrees, so a wrong id cannot slip in.

:data:`NICKNAMES` are names the people asking use ("Steph Curry", "KD"), each with a public
source; a search by one finds the player, as a search by any name he played under does.
A nickname two players share (Basketball-Reference gives "Slim Reaper" to Kevin Durant
and to Nic Claxton) is left out: a search must not guess.

NBA.com's person ids are assigned in order of arrival: the 76xxx and 77xxx ids are the
league's historical players, 2xxx the players who came in 1996-2003, 20xxxx 2003-2015
and 1626xxx onwards the later drafts; the reasons below use that to tell namesakes apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """Basketball-Reference's ``bref_slug`` is NBA.com's ``person_id``, listed as ``nba_name``."""

    bref_slug: str
    person_id: int
    nba_name: str
    why: str


@dataclass(frozen=True)
class Nickname:
    """``name`` stands for NBA.com's ``person_id`` (listed as ``nba_name``), per ``source``."""

    name: str
    person_id: int
    nba_name: str
    source: str


LINKS: tuple[Link, ...] = (
    # A name changed after the seasons he played under it.
    Link("kanteen01", 202683, "Enes Freedom",
         "Enes Kanter took the name Enes Freedom in November 2021; NBA.com lists him under "
         "it, Basketball-Reference's box scores under the name he played these seasons as."),
    Link("princta02", 1627752, "Taurean Prince",
         "Basketball-Reference writes Taurean Waller-Prince, the name he used in 2018-19; "
         "NBA.com's Taurean Prince (2016 draft id) is the only Prince of his era."),
    # One name on NBA.com, a full name on Basketball-Reference.
    Link("hilarne01", 2403, "Nene",
         "NBA.com lists Nenê Hilário by the single name Nene (2002 draft id, next to "
         "Mike Dunleavy Jr.'s 2399 of the same draft)."),
    # Another form of the given name.
    Link("creekmi01", 1628249, "Mitchell Creek",
         "Mitch is Mitchell Creek (Brooklyn and Minnesota 2018-19), the only Creek on NBA.com."),
    Link("edwarvi01", 1629053, "Vincent Edwards",
         "Vince is Vincent Edwards (2018 draft id; Houston 2018-19), the only Vincent or "
         "Vince Edwards on NBA.com."),
    Link("hernaju01", 1627823, "Juancho Hernangomez",
         "Juan Hernangómez plays as Juancho; NBA.com's other Hernangomez is his brother Willy."),
    Link("iwundwe01", 1628411, "Wes Iwundu",
         "Wesley Iwundu is NBA.com's Wes Iwundu (2017 draft id), the only Iwundu."),
    Link("mykhasv01", 1629004, "Svi Mykhailiuk",
         "Sviatoslav Mykhailiuk is NBA.com's Svi Mykhailiuk (2018 draft id)."),
    Link("reynoca01", 1629244, "Cam Reynolds",
         "Cameron Reynolds is NBA.com's Cam Reynolds (2018-19 arrival id); NBA.com's other "
         "Reynoldses, George and Jerry, are historical players."),
    # Two NBA.com players of one name, neither with a suffix: the one of these seasons.
    Link("dunlemi02", 2399, "Mike Dunleavy",
         "Mike Dunleavy Jr. (2002 draft, played to 2016-17; Chicago 2015-16); NBA.com's 76616 is his father, "
         "who played 1976-90."),
    Link("hendege02", 201945, "Gerald Henderson",
         "Gerald Henderson Jr. (2009 draft id; Portland 2015-16); NBA.com's 76993 is his father, who played "
         "1979-92."),
    Link("johnsch04", 203187, "Chris Johnson",
         "The Chris Johnson from Dayton (arrived 2013; 70 games for Utah in 2015-16, "
         "hoopsrumors.com/chris-johnson-dayton), Basketball-Reference's johnsch04; NBA.com's "
         "202419 is the Chris Johnson from LSU (arrived 2010, johnsch03), who played no NBA "
         "games after 2012-13."),
    Link("smithgr02", 202962, "Greg Smith",
         "Greg Smith from Fresno State (arrived 2012; Minnesota 2015-16); NBA.com's 78190 is the Greg Smith who "
         "played 1968-76."),
    Link("kingge03", 1628994, "George King",
         "George King, Phoenix 2018-19 (2018 draft id); NBA.com's 77268 is the George King "
         "of the 1950s."),
)  # fmt: skip

NICKNAMES: tuple[Nickname, ...] = (
    Nickname("Steph Curry", 201939, "Stephen Curry",
             "tvtropes.org/pmwiki/pmwiki.php/UsefulNotes/StephenCurry ('Steph')"),
    Nickname("Steph", 201939, "Stephen Curry",
             "thesportsrush.com: 'Stephen Curry often gets referred to as just Steph'"),
    Nickname("Chef Curry", 201939, "Stephen Curry",
             "sportingnews.com: the 'Chef Curry' nickname, from Drake's 0 to 100 (2013)"),
    Nickname("KD", 201142, "Kevin Durant",
             "uproxx.com/dimemag/kevin-durant-nickname-debate-durantula-vs-slim-reaper"),
    Nickname("Durantula", 201142, "Kevin Durant",
             "uproxx.com/dimemag/kevin-durant-nickname-debate-durantula-vs-slim-reaper"),
    Nickname("King James", 2544, "LeBron James",
             "revolt.tv/article/how-nba-stars-got-their-nicknames-lebron-kobe-curry-and-more; "
             "Basketball-Reference's nicknames (sbnation.com, 2022-12-16)"),
    Nickname("The Beard", 201935, "James Harden",
             "Basketball-Reference's nicknames (sbnation.com, 2022-12-16)"),
    Nickname("Greek Freak", 203507, "Giannis Antetokounmpo",
             "givemesport.com/most-iconic-nicknames-nba-history"),
    Nickname("The Greek Freak", 203507, "Giannis Antetokounmpo",
             "revolt.tv/article/how-nba-stars-got-their-nicknames-lebron-kobe-curry-and-more"),
    Nickname("CP3", 101108, "Chris Paul",
             "medium.com/@cguest6/ranking-the-best-current-nicknames-in-the-nba"),
    Nickname("PG-13", 202331, "Paul George",
             "medium.com/@cguest6/ranking-the-best-current-nicknames-in-the-nba"),
    Nickname("PG13", 202331, "Paul George",
             "medium.com/@cguest6/ranking-the-best-current-nicknames-in-the-nba"),
    Nickname("Melo", 2546, "Carmelo Anthony",
             "medium.com/@cguest6/ranking-the-best-current-nicknames-in-the-nba"),
    Nickname("Dame", 203081, "Damian Lillard",
             "medium.com/@cguest6/ranking-the-best-current-nicknames-in-the-nba"),
    Nickname("KCP", 203484, "Kentavious Caldwell-Pope",
             "Basketball-Reference's nicknames (sbnation.com, 2022-12-16)"),
    Nickname("Trez", 1626149, "Montrezl Harrell",
             "Basketball-Reference's nicknames (sbnation.com, 2022-12-16)"),
)  # fmt: skip
