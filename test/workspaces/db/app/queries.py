"""Data access of the example service (psycopg-style placeholders)."""


def user_name(cur, user_id):
    cur.execute("SELECT name FROM users WHERE id = %s", (user_id,))
    return cur.fetchone()[0]


DASHBOARD_STATS = (
    "SELECT owner_id, count(*), sum(views) "
    "FROM videos GROUP BY owner_id"
)


def wait(cur):
    cur.execute("select pg_sleep(%s)", (0.05,))
