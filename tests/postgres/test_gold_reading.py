"""An annotator reads the gold standard only of articles she had finished when they were
curated (server/curation.py): a done mark she inserts afterwards (and deletes again) shows
her nothing, and the time of her mark is the server's, not hers."""

from __future__ import annotations

import pytest

from annotator.curation import CurationSession
from annotator.server.roles import init_server
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from tests.agreement.builders import article_id, label_anna, label_ben, new_project
from tests.curation.conftest import key
from tests.postgres.team import rows

pytestmark = pytest.mark.postgres

GOLD = (
    "SELECT count(*) FROM stanceannotation WHERE annotator_id = "
    "(SELECT id FROM annotator WHERE kind = 'gold')"
)
CARA_DONE = (
    "INSERT INTO articledone (article_id, annotator_id, done_at) "
    "SELECT {article}, id, '2000-01-01' FROM annotator WHERE name = 'cara'"
)


@pytest.fixture
def curated(pg, codebook) -> dict[str, str]:
    """a1 curated by lena after anna and ben had finished it; cara, an annotator of her own
    role, never worked on it. Their URLs by name."""
    roles = {name: pg.role(name) for name in ("lead", "anna", "ben", "cara", "lena")}
    new_project(pg.url()).close()
    annotators = {name: roles[name] for name in ("anna", "ben", "cara", "lena")}
    init_server(pg.url(), leads=[roles["lead"]], annotators=annotators, curators=[roles["lena"]])
    urls = {name: pg.url(role) for name, role in roles.items()}
    for name, fill in (("anna", label_anna), ("ben", label_ben)):
        with open_project(urls[name]) as project:
            fill(project)
    with open_project(urls["lena"]) as lena:
        cur = CurationSession(lena, codebook, get_or_create_annotator(lena, "lena"))
        a1 = article_id(lena, "a1")
        cur.premerge(a1, "complete")
        masala = key(lena, "a1", "Carlo Masala", "ground_troops")  # anna and ben differ
        cur.accept(masala, get_or_create_annotator(lena, "ben"))
        cur.finish(a1)
    assert rows(urls["lead"], GOLD)[0][0] > 0
    return urls


def test_a_done_mark_made_after_curation_shows_no_gold(curated) -> None:
    cara = curated["cara"]
    a1 = rows(cara, "SELECT id FROM article WHERE external_id = 'a1'")[0][0]
    rows(cara, CARA_DONE.format(article=a1))  # backdated by the client
    assert rows(cara, GOLD) == [(0,)]
    assert rows(cara, "SELECT count(*) FROM goldorigin") == [(0,)]
    # The server's clock, not the client's: her mark is later than the curation.
    assert rows(
        cara, "SELECT d.done_at >= c.at FROM articledone d JOIN curation c USING (article_id)"
    ) == [(True,)]
    rows(cara, "DELETE FROM articledone")
    assert rows(cara, GOLD) == [(0,)]


def test_who_finished_before_curation_reads_the_gold(curated) -> None:
    assert rows(curated["anna"], GOLD)[0][0] > 0
    assert rows(curated["ben"], "SELECT count(*) FROM goldorigin")[0][0] > 0


def test_a_lead_keeps_the_times_it_writes(curated) -> None:
    """A push brings a file's own done marks and their times."""
    a2 = rows(curated["lead"], "SELECT id FROM article WHERE external_id = 'a2'")[0][0]
    rows(curated["lead"], CARA_DONE.format(article=a2))
    assert rows(curated["lead"], "SELECT done_at::date::text FROM articledone d JOIN annotator a "
                "ON a.id = d.annotator_id WHERE a.name = 'cara'") == [("2000-01-01",)]  # fmt: skip
