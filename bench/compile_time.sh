#!/usr/bin/env bash
# Compile-time cost of #[derive(Table)].
#
# For each table count N (default: 10 50 200) this generates, in a temporary directory, three
# library crates with N structs of 20 columns each, one struct per module file:
#   derived_N  the structs with #[derive(buster_db::Table)] and column attributes
#   plain_N    the same structs without the derive (and without the attributes)
#   diesel_N   the same tables as `diesel::table!` and the structs with Diesel's
#              `Queryable`, `Selectable`, `Insertable` and `AsChangeset` derives
# plain and derived depend on buster-db by path, diesel on diesel 2 (postgres backend, uuid,
# chrono, the versions of the workspace's lock file); the dependencies are built once, in a
# shared target directory, before anything is timed. Then, per crate (dev profile):
#   cold     `cargo build` of the crate alone from clean (dependencies already built)
#   rebuild  `cargo build` after editing one table's file (incremental compilation)
#   rlib     size of the crate's .rlib (metadata + code), a proxy for the generated code
#   IR       lines of the crate's LLVM IR (`cargo rustc -- --emit=llvm-ir`), a second proxy:
#            macro-expanded source cannot be printed on a stable toolchain
#
# Usage: bench/compile_time.sh [N ...]   (KEEP=1 keeps the temporary directory; BUSTER_REPO=dir
# measures another checkout of the workspace)
set -euo pipefail

repo="${BUSTER_REPO:-$(cd "$(dirname "$0")/.." && pwd)}"
counts=("$@")
if [ ${#counts[@]} -eq 0 ]; then
    counts=(10 50 200)
fi
work="$(mktemp -d /tmp/buster-compile-time.XXXXXX)"
if [ "${KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$work"' EXIT
fi
export CARGO_TARGET_DIR="$work/target"
export CARGO_TERM_COLOR=never

# The 20 fields of a table, as the plain structs and Diesel's structs declare them.
fields="$(cat <<'EOF'
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub title: Option<String>,
    pub is_active: bool,
    pub score: i32,
    pub balance: i64,
    pub ratio: f64,
    pub rank: Option<i32>,
    pub owner_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub note: String,
    pub code: String,
    pub tags: Vec<String>,
    pub counter: i64,
    pub flag: bool,
    pub seen_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
EOF
)"

# One table: 20 columns of the usual kinds.
table() {
    local i=$1 derive=$2
    if [ "$derive" = 1 ]; then
        cat <<EOF
use buster_db::{DateTime, Utc, Uuid};

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "table_$i")]
pub struct Table$i {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub email: String,
    pub name: String,
    pub title: Option<String>,
    #[column(default = "true")]
    pub is_active: bool,
    pub score: i32,
    pub balance: i64,
    pub ratio: f64,
    pub rank: Option<i32>,
    pub owner_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub note: String,
    pub code: String,
    pub tags: Vec<String>,
    pub counter: i64,
    pub flag: bool,
    pub seen_at: Option<DateTime<Utc>>,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
EOF
    else
        cat <<EOF
use buster_db::{DateTime, Utc, Uuid};

#[derive(Debug, Clone, PartialEq)]
pub struct Table$i {
$fields
}
EOF
    fi
}

# One table in Diesel's form: the schema macro and the struct with the four usual derives.
diesel_table() {
    local i=$1
    cat <<EOF
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

diesel::table! {
    table_$i (id) {
        id -> Uuid,
        email -> Text,
        name -> Text,
        title -> Nullable<Text>,
        is_active -> Bool,
        score -> Int4,
        balance -> Int8,
        ratio -> Float8,
        rank -> Nullable<Int4>,
        owner_id -> Uuid,
        parent_id -> Nullable<Uuid>,
        note -> Text,
        code -> Text,
        tags -> Array<Text>,
        counter -> Int8,
        flag -> Bool,
        seen_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
    }
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = table_$i)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct Table$i {
$fields
}
EOF
}

# generate NAME N VARIANT: VARIANT is 0 (plain), 1 (derived) or diesel.
generate() {
    local name=$1 n=$2 derive=$3 dir="$work/$1" deps
    mkdir -p "$dir/src"
    if [ "$derive" = diesel ]; then
        deps='diesel = { version = "2.3", default-features = false, features = ["postgres_backend", "uuid", "chrono", "32-column-tables"] }
uuid = "1"
chrono = { version = "0.4", default-features = false, features = ["clock"] }'
    else
        deps="buster-db = { path = \"$repo/buster-db\", default-features = false }"
    fi
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
path = "src/lib.rs"

[dependencies]
$deps

[workspace]
EOF
    cp "$repo/Cargo.lock" "$dir/Cargo.lock"
    : >"$dir/src/lib.rs"
    for ((i = 0; i < n; i++)); do
        echo "pub mod t$i;" >>"$dir/src/lib.rs"
        if [ "$derive" = diesel ]; then
            diesel_table "$i" >"$dir/src/t$i.rs"
        else
            table "$i" "$derive" >"$dir/src/t$i.rs"
        fi
    done
}

seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>"$work/last.log" || {
        cat "$work/last.log" >&2
        return 1
    }
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

# Dependencies first (buster-db, its macros, tokio-postgres, …): shared by every crate below.
generate deps_only 0 0
deps=$(cd "$work/deps_only" && seconds cargo build)
generate deps_diesel 0 diesel
deps_diesel=$(cd "$work/deps_diesel" && seconds cargo build)

echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "rustc: $(rustc --version); dependencies built once in ${deps} s (buster-db) and ${deps_diesel} s (diesel), dev profile"
echo
summary=()
echo "| tables | variant | cold build | rebuild after editing one table | rlib | LLVM IR lines | rlib per table | IR lines per table |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
for n in "${counts[@]}"; do
    for variant in plain derived diesel; do
        name="${variant}_$n"
        derive=0
        [ "$variant" = derived ] && derive=1
        [ "$variant" = diesel ] && derive=diesel
        generate "$name" "$n" "$derive"
        cd "$work/$name"
        cargo clean -p "$name" >/dev/null 2>&1 || true
        cold=$(seconds cargo build)
        echo "// edited" >>src/t0.rs
        rebuild=$(seconds cargo build)
        rlib=$(stat -c %s "$CARGO_TARGET_DIR/debug/lib${name}.rlib")
        rm -f "$CARGO_TARGET_DIR"/debug/deps/"${name}"-*.ll
        cargo rustc --lib -- --emit=llvm-ir >/dev/null 2>"$work/last.log" || cat "$work/last.log" >&2
        ir=$(cat "$CARGO_TARGET_DIR"/debug/deps/"${name}"-*.ll 2>/dev/null | wc -l)
        printf '| %d | %s | %s s | %s s | %d KiB | %d | %.1f KiB | %d |\n' \
            "$n" "$variant" "$cold" "$rebuild" $((rlib / 1024)) "$ir" \
            "$(awk -v r="$rlib" -v n="$n" 'BEGIN { print r / 1024 / n }')" $((ir / n))
        eval "cold_$variant=$cold"
        cd "$work"
    done
    summary+=("| $n | $(awk -v d="$cold_derived" -v p="$cold_plain" -v n="$n" 'BEGIN { printf "%.0f", (d - p) * 1000 / n }') ms | $(awk -v d="$cold_diesel" -v p="$cold_plain" -v n="$n" 'BEGIN { printf "%.0f", (d - p) * 1000 / n }') ms |")
done
echo
echo "Cold-build cost per table over the plain structs:"
echo
echo "| tables | #[derive(Table)] | Diesel (table! + 4 derives) |"
echo "|---:|---:|---:|"
printf '%s\n' "${summary[@]}"
