#!/usr/bin/env bash
# Runs Northstar's whole test suite, the README's test command and what CI
# runs (.ci/run). On a fresh Debian machine it first installs what the tests
# need (PostgreSQL 15 server binaries, chromium) when run as root, then runs
# go vet, the tests (extra arguments go to `go test`) and a short fuzz smoke
# of every Fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

# Go lives in /usr/local/go on our machines, which is not always on PATH.
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
	export PATH="/usr/local/go/bin:$PATH"
fi

apt_updated=no
# apt_install PKG... installs the first of the packages apt can install, or
# says what to install when not root.
apt_install() {
	if [ "$(id -u)" != 0 ]; then
		echo "test.sh: missing; install one of: $* (e.g. sudo apt-get install -y $1)" >&2
		return 0
	fi
	if [ "$apt_updated" = no ]; then
		apt-get update
		apt_updated=yes
	fi
	local pkg
	for pkg in "$@"; do
		if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg"; then
			return 0
		fi
	done
	echo "test.sh: could not install any of: $*" >&2
	return 1
}

# The same places internal/pgtest looks for initdb.
have_postgres() {
	local dir
	for dir in "${NORTHSTAR_PG_BIN:-}" /usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)"; do
		if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
			return 0
		fi
	done
	command -v initdb >/dev/null && command -v postgres >/dev/null
}

if ! have_postgres; then
	apt_install postgresql-15 postgresql
fi
if ! command -v chromium >/dev/null; then
	apt_install chromium
fi

go vet ./...
go test -count=1 -timeout 20m "$@" ./...

# Known vulnerabilities in the code paths we call: govulncheck (from the Go
# module proxy) needs the Go vulnerability database, which lives at
# vuln.go.dev and is not a module on the proxy. Give a local snapshot with
# NORTHSTAR_VULNDB=/path (govulncheck -db file://…); without one the check
# runs only where vuln.go.dev answers, and says so when it is skipped.
govulncheck=(go run golang.org/x/vuln/cmd/govulncheck@v1.9.0)
if [ -n "${NORTHSTAR_VULNDB:-}" ]; then
	"${govulncheck[@]}" -db "file://$(cd "$NORTHSTAR_VULNDB" && pwd)" ./...
elif timeout 5 bash -c 'exec 3<>/dev/tcp/vuln.go.dev/443' 2>/dev/null; then
	"${govulncheck[@]}" ./...
else
	echo "test.sh: govulncheck skipped: vuln.go.dev is unreachable from here and no NORTHSTAR_VULNDB snapshot was given" >&2
fi

# Fuzz smoke: each target runs briefly, so a decoder that panics on a simple
# mutation fails the run. Targets are found by grep, so new ones join in.
# The budget is a count of executions, not a duration: Go 1.26's fuzz
# coordinator can report "context deadline exceeded" when a duration ends
# while a worker is busy on a loaded machine (go.dev/issue/75804, fixed in
# Go 1.27), which fails the run without any failing input.
fuzztime="${FUZZTIME:-30000x}"
mapfile -t files < <(grep -rlE --include='*_test.go' --exclude-dir=testdata --exclude-dir=.git '^func Fuzz[A-Za-z0-9_]*\(' . | sort)
for file in "${files[@]}"; do
	for target in $(grep -oE '^func Fuzz[A-Za-z0-9_]*' "$file" | cut -d' ' -f2); do
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$(dirname "${file#./}")"
	done
done
