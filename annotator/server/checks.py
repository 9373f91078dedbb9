"""The server's checks on values in labels, evidence, history and curation, for every writer
(an annotator with another codebook, a curator or a lead with a raw SQL client), installed
by `server init` (guards.install calls `install`):

- labels: target and stance in the stored codebook (`team_codebook`);
- evidence: inside its article's text;
- history (`labelevent`): an action the tool writes (store.labels.Action), a target of the
  codebook, and before/after states of the shapes the tool writes and reads back
  (store/history.py: `history` and the undo stacks rebuilt from it); an annotator may
  append to her own history, so she must not be able to append what breaks reading it.
  An accepted or rejected suggestion only where the window could have offered it
  (_SUGGESTION_EVENT): those events make the lead's figures and decide which units
  agreement without suggestions leaves out;
- curation: an article's state is one the tool knows (CHECK), a gold label's origin too
  (CHECK), and its target is in the codebook.

Trigger functions run as whoever writes (no SECURITY DEFINER): they read only the codebook
and, through row-level security, the label that evidence belongs to. Keys the tool does not
write are let through, so a newer tool may add some; the readers skip what they cannot read.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from annotator.errors import ProjectError
from annotator.store.dialects import CHECK_REFUSED, VALUE_CONSTRAINTS
from annotator.store.gold import CURATED, CURATION_STATES, ORIGINS
from annotator.store.labels import Action
from annotator.store.suggestions import ACCEPT, REJECT, SETTINGS_KEY

TRIGGER_FUNCTIONS = (
    "team_check_label()",
    "team_check_evidence()",
    "team_check_event()",
    "team_check_gold()",
)
FUNCTIONS = TRIGGER_FUNCTIONS
CONSTRAINT_VALUES = {  # constraint -> (table, column, allowed values)
    "team_curation_state": ("curation", "state", CURATION_STATES),
    "team_gold_origin": ("goldorigin", "origin", ORIGINS),
}
assert set(CONSTRAINT_VALUES) == set(VALUE_CONSTRAINTS)

_NOT_IN_CODEBOOK = """
        RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = '{kind} '
            || quote_literal(left({value}, 40)) || ' is not in the project''s codebook (it has '
            || coalesce((SELECT string_agg(c.id, ', ' ORDER BY c.position) FROM team_codebook c
                         WHERE c.kind = '{kind}'), 'none') || ')';"""

_CHECK_LABEL = """
CREATE OR REPLACE FUNCTION team_check_label() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM team_codebook c WHERE c.kind = 'target' AND c.id = NEW.target)
    THEN {target}
    END IF;
    IF NEW.stance IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM team_codebook c WHERE c.kind = 'stance' AND c.id = NEW.stance)
    THEN {stance}
    END IF;
    RETURN NEW;
END $fn$
"""

_CHECK_GOLD = """
CREATE OR REPLACE FUNCTION team_check_gold() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM team_codebook c WHERE c.kind = 'target' AND c.id = NEW.target)
    THEN {target}
    END IF;
    RETURN NEW;
END $fn$
"""

# ELSIF chains, not OR: SQL does not promise to evaluate `a OR b` left to right, and
# jsonb_array_length() of a non-array, or a cast of a non-number, raises.
_CHECK_EVENT = """
CREATE OR REPLACE FUNCTION team_check_event() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    which text;
    side jsonb;
    origin jsonb;
    span jsonb;
    problem text;
    wanted text;
    settings jsonb;
    curated boolean;
BEGIN
    IF NEW.target IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM team_codebook c WHERE c.kind = 'target' AND c.id = NEW.target)
    THEN {target}
    END IF;
    IF NEW.action IS NULL OR NEW.action NOT IN ({actions}) THEN
        RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = 'a history entry''s action '
            || coalesce(quote_literal(left(NEW.action, 40)), 'NULL')
            || ' is not one the tool writes ({action_words})';
    END IF;
    FOR which, side IN SELECT * FROM (VALUES ('before', NEW.before::jsonb),
                                             ('after', NEW.after::jsonb)) AS v LOOP
        problem := NULL;
        origin := side->'origin';
        IF side IS NULL OR jsonb_typeof(side) = 'null' THEN
            CONTINUE;
        ELSIF jsonb_typeof(side) <> 'object' THEN
            problem := 'is no JSON object';
        ELSIF coalesce(jsonb_typeof(side->'stance'), 'null') NOT IN ('null', 'string') THEN
            problem := 'has a stance that is no text';
        ELSIF jsonb_typeof(side->'stance') = 'string' AND NOT EXISTS (SELECT 1 FROM
                team_codebook c WHERE c.kind = 'stance' AND c.id = side->>'stance') THEN
            problem := 'has the stance ' || quote_literal(left(side->>'stance', 40))
                || ', which is not in the project''s codebook';
        ELSIF side->'evidence' IS NOT NULL AND jsonb_typeof(side->'evidence') <> 'array' THEN
            problem := 'has evidence that is no list';
        ELSIF coalesce(jsonb_typeof(side->'note'), 'null') NOT IN ('null', 'string') THEN
            problem := 'has a note that is no text';
        ELSIF coalesce(jsonb_typeof(side->'done'), 'boolean') <> 'boolean' THEN
            problem := 'has a done mark that is neither true nor false';
        ELSIF coalesce(jsonb_typeof(side->'curation'), 'null') <> 'null'
                AND coalesce(side->>'curation', '') NOT IN ({states}) THEN
            problem := 'has a curation state that is not one of {state_words}';
        ELSIF coalesce(jsonb_typeof(side->'by'), 'null') <> 'null'
                AND coalesce(side->>'by', '') !~ '^[0-9]{{1,15}}$' THEN
            problem := 'names who decided (by) with something that is no annotator id';
        ELSIF coalesce(jsonb_typeof(origin), 'null') NOT IN ('null', 'object') THEN
            problem := 'has a gold origin that is no JSON object';
        ELSIF jsonb_typeof(origin) = 'object' AND (
                coalesce(origin->>'origin', '') NOT IN ({origins})
                OR coalesce(jsonb_typeof(origin->'strategy'), 'null') NOT IN ('null', 'string')
                OR coalesce(origin->>'annotator_id', '0') !~ '^[0-9]{{1,15}}$'
                OR coalesce(origin->>'curator_id', '0') !~ '^[0-9]{{1,15}}$'
                OR coalesce(jsonb_typeof(origin->'at'), 'null') NOT IN ('null', 'string')
                OR coalesce(origin->>'at', '2000-01-01') !~ '{iso_time}') THEN
            problem := 'has a gold origin the tool cannot read (it holds an origin, one of '
                || '{origin_words}; annotator ids; a strategy''s name; an ISO time)';
        ELSIF jsonb_typeof(origin->'at') = 'string' THEN
            BEGIN  -- the pattern passed; the calendar decides (no 30 February)
                PERFORM (origin->>'at')::timestamptz;
            EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
                problem := 'has a gold origin with the impossible time '
                    || quote_literal(left(origin->>'at', 40));
            END;
        END IF;
        IF problem IS NULL AND jsonb_typeof(side->'evidence') = 'array' THEN
            FOR span IN SELECT jsonb_array_elements(side->'evidence') LOOP
                IF jsonb_typeof(span) <> 'array' THEN
                    problem := 'has evidence that is not a list of [start, end] pairs';
                ELSIF jsonb_array_length(span) <> 2 OR jsonb_typeof(span->0) <> 'number'
                        OR jsonb_typeof(span->1) <> 'number' THEN
                    problem := 'has evidence that is not a list of [start, end] pairs';
                ELSIF span->>0 !~ '^[0-9]{{1,15}}$' OR span->>1 !~ '^[0-9]{{1,15}}$' THEN
                    problem := 'has evidence that is not a list of [start, end] pairs';
                ELSIF (span->>0)::bigint >= (span->>1)::bigint THEN
                    problem := 'has evidence that ends before it starts';
                END IF;
                EXIT WHEN problem IS NOT NULL;
            END LOOP;
        END IF;
        IF problem IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = 'a history entry''s '
                || which || '-state ' || problem;
        END IF;
    END LOOP;{suggestion_event}
    RETURN NEW;
END $fn$
"""

# What the window offers (suggest/service.visible, store/suggestions.shown_on), read as the
# writer, so that row-level security shows the trigger what it shows her: nothing while the
# project has suggestions off or keeps them off an article planned for several coders; where
# suggestions she may see are stored for the article, those alone (on a curated article the
# rules' alone). Where none are stored, the window works the rules' out itself and keeps
# them for the session, never in a table: nothing to check against there. Rejections are not
# held to the switches: a stance key on a suggestion shown before the owner switched writes
# one, and a rejection takes no unit out of agreement. INSERT only: the owner may rewrite an
# old event whose suggestion has been replaced since.
_SUGGESTION_EVENT = """
    IF TG_OP = 'INSERT' AND NEW.action IN ('{accept}', '{reject}') THEN
        IF NEW.actor_id IS NULL OR NEW.target IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = 'a suggestion is accepted '
                || 'or rejected in one cell (an article, an actor and a target)';
        END IF;
        wanted := NEW.after::jsonb->>'stance';
        IF NEW.action = '{accept}' THEN
            IF wanted IS NULL THEN
                RAISE EXCEPTION USING ERRCODE = '{refused}',
                    MESSAGE = 'an accepted suggestion gives the cell its stance';
            END IF;
            BEGIN  -- unreadable settings are the defaults, as the tool reads them
                settings := (SELECT p.value FROM projectinfo p WHERE p.key = '{key}')::jsonb;
            EXCEPTION WHEN invalid_text_representation THEN
                settings := NULL;
            END;
            IF jsonb_typeof(settings) IS DISTINCT FROM 'object' THEN
                settings := '{{}}';
            END IF;
            IF NOT {enabled} THEN
                RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = 'stance suggestions '
                    || 'are switched off for this project (annotator suggest --off): none can '
                    || 'be accepted; reopen the article';
            ELSIF NOT {on_overlap} AND EXISTS (SELECT 1 FROM assignment a
                    WHERE a.article_id = NEW.article_id AND a.overlap) THEN
                RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = 'stance suggestions '
                    || 'are kept off the articles planned for several coders (annotator '
                    || 'suggest --not-on-overlap): none can be accepted on this one; reopen '
                    || 'the article';
            END IF;
        END IF;
        curated := EXISTS (SELECT 1 FROM curation c
                           WHERE c.article_id = NEW.article_id AND c.state = '{curated}');
        IF EXISTS (SELECT 1 FROM suggestion s WHERE s.article_id = NEW.article_id
                AND (s.annotator_id IS NULL OR s.annotator_id = NEW.annotator_id)
                AND (s.source = 'rules' OR NOT curated))
            AND NOT EXISTS (SELECT 1 FROM suggestion s WHERE s.article_id = NEW.article_id
                AND s.actor_id = NEW.actor_id AND s.target = NEW.target
                AND (s.annotator_id IS NULL OR s.annotator_id = NEW.annotator_id)
                AND (s.source = 'rules' OR NOT curated)
                AND (NEW.action = '{reject}' OR s.stance = wanted)) THEN
            RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = 'no suggestion '
                || CASE WHEN NEW.action = '{accept}' THEN quote_literal(left(wanted, 40)) || ' '
                        ELSE '' END
                || 'for this cell is stored for this annotator, and on this article the '
                || 'window offers only the stored ones (reopen the article to see them as '
                || 'they are now)';
        END IF;
    END IF;"""


def _truthy(key: str) -> str:
    """SQL: the settings' `key` as Python's bool() reads it, true where it is missing
    (store/suggestions.settings)."""
    v = f"settings->'{key}'"
    return (
        f"(CASE jsonb_typeof({v}) WHEN 'boolean' THEN ({v})::boolean WHEN 'null' THEN false "
        f"WHEN 'number' THEN ({v})::numeric <> 0 WHEN 'string' THEN {v} <> '\"\"'::jsonb "
        f"WHEN 'array' THEN {v} <> '[]'::jsonb WHEN 'object' THEN {v} <> '{{}}'::jsonb "
        "ELSE true END)"
    )


# What Python's datetime.fromisoformat() reads back (store/history.py, store/gold.py).
_ISO_TIME = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?"
    "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?$"
)

_CHECK_EVIDENCE = """
CREATE OR REPLACE FUNCTION team_check_evidence() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    n integer;
BEGIN
    SELECT char_length(a.text) INTO n FROM stanceannotation s JOIN article a
    ON a.id = s.article_id WHERE s.id = NEW.annotation_id;
    -- A label this role cannot see: row-level security refuses the row itself.
    IF n IS NOT NULL AND (NEW.start < 0 OR NEW."end" <= NEW.start OR NEW."end" > n) THEN
        RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = 'evidence ' || NEW.start || '-'
            || NEW."end" || ' lies outside the article text (length ' || n || ')';
    END IF;
    RETURN NEW;
END $fn$
"""

TRIGGERS = {  # trigger -> (table, when)
    "team_check_label": ("stanceannotation", "BEFORE INSERT OR UPDATE OF target, stance"),
    "team_check_evidence": ("evidence", "BEFORE INSERT OR UPDATE"),
    "team_check_event": (
        "labelevent",
        "BEFORE INSERT OR UPDATE OF target, action, before, after",
    ),
    "team_check_gold": ("goldorigin", "BEFORE INSERT OR UPDATE OF target"),
}


def _words(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(values)


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def install(conn: Connection, schema: str) -> None:
    """The checks (as the owner; `schema` quoted). Stored values that break a CHECK are
    refused with a message first."""
    _check_stored_values(conn)
    for name, (table, column, allowed) in CONSTRAINT_VALUES.items():
        conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"))
        conn.execute(
            text(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} "
                f"CHECK ({column} IN ({_sql_list(allowed)}))"
            )
        )
    missing = {
        kind: _NOT_IN_CODEBOOK.format(kind=kind, value=f"NEW.{kind}", refused=CHECK_REFUSED)
        for kind in ("target", "stance")
    }
    actions = [str(a) for a in Action]
    event = _CHECK_EVENT.format(
        schema=schema,
        target=missing["target"],
        refused=CHECK_REFUSED,
        actions=_sql_list(actions),
        action_words=_words(actions),
        states=_sql_list(CURATION_STATES),
        state_words=_words(CURATION_STATES),
        origins=_sql_list(ORIGINS),
        origin_words=_words(ORIGINS),
        iso_time=_ISO_TIME,
        suggestion_event=_SUGGESTION_EVENT.format(
            accept=ACCEPT,
            reject=REJECT,
            refused=CHECK_REFUSED,
            key=SETTINGS_KEY,
            enabled=_truthy("enabled"),
            on_overlap=_truthy("on_overlap"),
            curated=CURATED,
        ),
    )
    for sql in (
        _CHECK_LABEL.format(schema=schema, **missing),
        _CHECK_GOLD.format(schema=schema, target=missing["target"]),
        event,
        _CHECK_EVIDENCE.format(schema=schema, refused=CHECK_REFUSED),
    ):
        conn.execute(text(sql))
    for function in FUNCTIONS:
        conn.execute(text(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC"))
    for trigger, (table, when) in TRIGGERS.items():
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger} ON {table}"))
        conn.execute(
            text(
                f"CREATE TRIGGER {trigger} {when} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {trigger}()"
            )
        )


def _check_stored_values(conn: Connection) -> None:
    """Refuse clearly, before the constraints would, values the tool cannot read."""
    for table, column, allowed in CONSTRAINT_VALUES.values():
        bad = conn.execute(
            text(
                f"SELECT {column}, article_id FROM {table} "
                f"WHERE {column} NOT IN ({_sql_list(allowed)}) LIMIT 1"
            )
        ).first()
        if bad is not None:
            raise ProjectError(
                f"the server's table {table} holds the {column} {str(bad[0])[:40]!r} (article "
                f"row {bad[1]}), which the tool does not know ({_words(allowed)}): correct or "
                f"delete it as the owner (DELETE FROM {table} WHERE {column} NOT IN "
                f"({_sql_list(allowed)})), then run init again"
            )
