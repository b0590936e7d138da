#!/usr/bin/env bash
# bench/query_sqlite.sh — the SQLite peer of the query benchmark (issue 4):
# the three-hop typed chain count as a SQL join, run in the `sqlite3` shell.
#
# Usage: bench/query_sqlite.sh DIR [RUNS]
#   DIR holds entities.csv and relations.csv (bench/data/<size>/); RUNS is the
#   number of timed runs per index variant (default 3).
#
# The database DIR/query-sqlite.db is built from the CSV pair when it is
# missing, older than the CSVs or of another SCHEMA version (not timed as execution;
# its build time is reported as `load`). Schema:
#   entity(id TEXT PRIMARY KEY, labels TEXT, category TEXT)
#   entity_label(id, label) WITHOUT ROWID, PRIMARY KEY (id, label), index (label, id)
#     -- one row per label of an entity ("Company;Subsidiary" gives two rows)
#   relation(src TEXT, dst TEXT, type TEXT), indexes on (src) and (dst)
# then ANALYZE, so that the planner has statistics (favours the peer).
#
# Each variant is one `sqlite3` session: `PRAGMA cache_size` of 2 GB (the
# whole database fits, as tiegraph's graph does in memory; this favours the
# peer: the default 2 MB cache made the count 1.6 times slower at 100k), then
# the count with `.timer on`, whose "Run Time: real" is execution only (the
# shell and the database are open; the file is in the OS cache after the build).
# Variants (VARIANTS, default "src_dst src_type"):
#   src_dst   the indexes above; the count runs RUNS times
#   src_type  plus an index on relation(src, type), created for the session
#             and dropped at its end; the count runs EXTRA_RUNS times (default
#             1) under a timeout of EXTRA_TIMEOUT seconds (default 300): with
#             it the planner walks forward from the lenders, which was 8 times
#             slower at 100k
#   src_type_dst  like src_type with a covering relation(src, type, dst)
# Output on stdout, one line each, for bench/query.sh to parse:
#   load SECONDS                        (only when the database was built)
#   variant NAME count N seconds S1 S2 ...   (the runs that finished; real time)
#   cpu NAME seconds C1 C2 ...          (their user + sys time)
#   timeout NAME SECONDS                (a variant stopped by its timeout)
# The src_dst session stops after TIMEOUT seconds (default 0: never). The
# shell's raw output is kept in DIR/query-sqlite.session (progress of a long run).
#   plan NAME <EXPLAIN QUERY PLAN, one line, ' | '-joined>
# Exit status: 0 success, 1 a sqlite3 command failed or the runs disagree.
set -euo pipefail

dir=${1:?usage: query_sqlite.sh DIR [RUNS]}
runs=${2:-3}
# The schema's version, kept in the database's user_version: change it with
# the schema below so that an old database is rebuilt.
SCHEMA=1
db=$dir/query-sqlite.db
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null || { echo "query_sqlite.sh: sqlite3 not found (Debian package sqlite3)" >&2; exit 1; }

# The count: a 4-way join of the chain, with the type, label and category
# predicates where a SQL user would put them.
QUERY="SELECT count(*)
FROM entity_label AS l
JOIN relation AS f ON f.src = l.id AND f.type = 'FINANCES'
JOIN entity_label AS g ON g.id = f.dst AND g.label = 'Government'
JOIN relation AS k ON k.src = f.dst AND k.type = 'CONTRACTS'
JOIN entity_label AS c ON c.id = k.dst AND c.label = 'Company'
JOIN relation AS b ON b.src = k.dst AND b.type = 'BUILDS'
JOIN entity_label AS pl ON pl.id = b.dst AND pl.label = 'Project'
JOIN entity AS p ON p.id = b.dst
WHERE l.label = 'Lender' AND p.category = 'safe_city';"

build_db() {
  local t0 t1
  rm -f "$db" "$db-journal" "$db-wal"
  t0=$(date +%s.%N)
  "$SQLITE3" -bail "$db" >/dev/null <<EOF
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TEMP TABLE entity_csv(id TEXT, labels TEXT, name TEXT, country TEXT, category TEXT);
CREATE TEMP TABLE relation_csv(src TEXT, dst TEXT, type TEXT, amount TEXT, year TEXT,
                               currency TEXT, role TEXT, share TEXT);
.import --csv --skip 1 $dir/entities.csv entity_csv
.import --csv --skip 1 $dir/relations.csv relation_csv
CREATE TABLE entity(id TEXT PRIMARY KEY, labels TEXT, category TEXT);
INSERT INTO entity SELECT id, labels, NULLIF(category, '') FROM entity_csv;
CREATE TABLE entity_label(id TEXT, label TEXT, PRIMARY KEY (id, label)) WITHOUT ROWID;
INSERT INTO entity_label(id, label)
  WITH RECURSIVE split(id, label, rest) AS (
    SELECT id, '', labels || ';' FROM entity
    UNION ALL
    SELECT id, substr(rest, 1, instr(rest, ';') - 1), substr(rest, instr(rest, ';') + 1)
    FROM split WHERE rest <> '')
  SELECT id, label FROM split WHERE label <> '';
CREATE INDEX entity_label_label ON entity_label(label, id);
CREATE TABLE relation(src TEXT, dst TEXT, type TEXT);
INSERT INTO relation SELECT src, dst, type FROM relation_csv;
CREATE INDEX relation_src ON relation(src);
CREATE INDEX relation_dst ON relation(dst);
DROP TABLE entity_csv;
DROP TABLE relation_csv;
ANALYZE;
PRAGMA user_version = $SCHEMA;
EOF
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "load %.2f\n", b - a }'
}

if [ ! -s "$db" ] || [ "$dir/entities.csv" -nt "$db" ] || [ "$dir/relations.csv" -nt "$db" ] ||
   [ "$("$SQLITE3" "$db" 'PRAGMA user_version;' 2>/dev/null)" != "$SCHEMA" ]; then
  build_db
fi

# Prints the session of variant $1: $2 timed counts.
session() {
  local variant=$1 n=$2 i idx=""
  printf 'PRAGMA cache_size = -2000000;\n'
  printf 'DROP INDEX IF EXISTS relation_src_type;\nDROP INDEX IF EXISTS relation_src_type_dst;\n'
  case "$variant" in
    src_dst) ;;
    src_type) idx="relation_src_type ON relation(src, type)" ;;
    src_type_dst) idx="relation_src_type_dst ON relation(src, type, dst)" ;;
    *) echo "query_sqlite.sh: unknown variant $variant" >&2; return 1 ;;
  esac
  if [ -n "$idx" ]; then printf 'CREATE INDEX %s;\nANALYZE;\n' "$idx"; fi
  printf ".print @plan\nEXPLAIN QUERY PLAN %s\n.print @runs\n.timer on\n" "$QUERY"
  for ((i = 0; i < n; i++)); do printf '%s\n' "$QUERY"; done
  printf '.timer off\n'
  if [ -n "$idx" ]; then printf 'DROP INDEX %s;\nANALYZE;\n' "${idx%% *}"; fi
}

# Turns one session's output into the variant and plan lines.
parse() {
  awk -v name="$1" '
    /^@plan$/ { mode = "plan"; next }
    /^@runs$/ { mode = "runs"; next }
    mode == "plan" {
      line = $0; sub(/^[|` -]+/, "", line)
      if (line != "QUERY PLAN" && line != "") plan = plan (plan == "" ? "" : " | ") line
      next
    }
    mode == "runs" && /^Run Time: real / { secs = secs " " $4; cpus = cpus " " ($6 + $8); next }
    mode == "runs" && /^[0-9]+$/ { if (cnt != "" && cnt != $1) bad = 1; cnt = $1; next }
    END {
      if (cnt != "") printf "variant %s count %s seconds%s\n", name, cnt, secs
      if (cnt != "") printf "cpu %s seconds%s\n", name, cpus
      printf "plan %s %s\n", name, plan
      if (bad) { print "query_sqlite.sh: the runs disagree on the count" > "/dev/stderr"; exit 1 }
    }'
}

status=0
trace=$dir/query-sqlite.session
: >"$trace"
for variant in ${VARIANTS:-src_dst src_type}; do
  n=$runs; limit=${TIMEOUT:-0}
  if [ "$variant" != src_dst ]; then n=${EXTRA_RUNS:-1}; limit=${EXTRA_TIMEOUT:-300}; fi
  rc=0
  part=$(mktemp)
  # stdbuf: line-buffered, so that a run's lines are out when it ends;
  # --foreground keeps sqlite3 in this script's process group (a kill of the
  # caller's group stops it too); the output goes to a file as it comes, so
  # that the runs finished before a timeout still count.
  session "$variant" "$n" | timeout --foreground "$limit" stdbuf -oL "$SQLITE3" -bail -list "$db" >"$part" || rc=$?
  cat "$part" >>"$trace"
  parse "$variant" <"$part" || status=1
  rm -f "$part"
  if [ "$rc" -eq 124 ]; then
    printf 'timeout %s %s\n' "$variant" "$limit"
    # The killed session may have left its index behind: drop it now.
    "$SQLITE3" "$db" 'DROP INDEX IF EXISTS relation_src_type; DROP INDEX IF EXISTS relation_src_type_dst; ANALYZE;'
  elif [ "$rc" -ne 0 ]; then
    echo "query_sqlite.sh: sqlite3 failed (status $rc) in variant $variant" >&2
    status=1
  fi
done
exit "$status"
