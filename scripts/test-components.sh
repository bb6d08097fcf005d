#!/usr/bin/env bash
# Fetches the Debian packages whose programs the component tests run (DESIGN.md section 5)
# into a cache of the project: no root, no system install. Each suite gets a private apt
# configuration (its own source list, lists and cache) pointed at the mirror this machine's
# own apt sources use, then `apt-get download` and `dpkg-deb -x` into <cache>/root/.
# A second run only checks stamps and programs, so the tests can call it every time.
#
#   bash scripts/test-components.sh            # entries from scripts/test-components.list
#   HEALTHPIPE_TEST_COMPONENTS=/dir ...        # another cache directory
#   HEALTHPIPE_DEBIAN_MIRROR=http://... ...    # another mirror than the machine's
#   HEALTHPIPE_TEST_COMPONENTS_LIST=file ...   # another package list
set -euo pipefail

repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
list=${HEALTHPIPE_TEST_COMPONENTS_LIST:-$repo/scripts/test-components.list}
cache=${HEALTHPIPE_TEST_COMPONENTS:-$repo/.cache/test-components}
root=$cache/root

say() { printf 'test-components: %s\n' "$*"; }
die() { printf 'test-components: error: %s\n' "$*" >&2; exit 1; }

for tool in apt-get apt-cache dpkg dpkg-deb; do
  command -v "$tool" >/dev/null || die "$tool not found: fetching test components needs a Debian machine (or install the packages named in $list by hand)"
done
[[ -r $list ]] || die "no package list at $list"
mkdir -p "$root" "$cache/stamps" "$cache/debs"
cache=$(cd -- "$cache" && pwd) root=$cache/root

# Vitest workers or two shells may start this at once; one fetch at a time.
if command -v flock >/dev/null; then
  exec 9>"$cache/.lock"
  flock 9
fi

# Prints "URI SIGNED-BY" of the Debian archive in this machine's apt sources (one-line
# *.list and deb822 *.sources), preferring the entry of the host's own release. The host
# name is never written into the repository: each machine uses the mirror it already has.
machine_mirror() {
  local codename
  codename=$(. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-}")
  {
    { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
      awk '$1 == "deb" {
        line = $0; signed = "-"; sub(/^[ \t]+/, "", line)
        if (match(line, /\[[^\]]*\]/)) {
          options = substr(line, RSTART + 1, RLENGTH - 2)
          line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH)
          if (match(options, /signed-by=[^ \t]+/)) signed = substr(options, RSTART + 10, RLENGTH - 10)
        }
        split(line, field, /[ \t]+/)
        print field[2], field[3], signed
      }'
    for file in /etc/apt/sources.list.d/*.sources; do
      [[ -r $file ]] || continue
      awk 'BEGIN { RS = ""; FS = "\n" } {
        types = uris = suites = ""; signed = "-"; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          split($i, kv, /:[ \t]*/); key = tolower(kv[1]); value = substr($i, index($i, ":") + 1)
          gsub(/^[ \t]+|[ \t]+$/, "", value)
          if (key == "types") types = value; else if (key == "uris") uris = value
          else if (key == "suites") suites = value; else if (key == "enabled") enabled = value
          else if (key == "signed-by" && value ~ /^\//) signed = value
        }
        if (enabled == "no" || (" " types " ") !~ / deb /) next
        n = split(uris, u, /[ \t]+/); m = split(suites, s, /[ \t]+/)
        for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j], signed
      }' "$file"
    done
  } | awk -v codename="$codename" '
    $2 == codename && !exact { exact = $1 " " $3 }
    $2 !~ /-/ && $1 ~ /\/debian\/?$/ && !release { release = $1 " " $3 }
    END { if (exact) print exact; else if (release) print release }'
}

if [[ -n ${HEALTHPIPE_DEBIAN_MIRROR:-} ]]; then
  mirror=$HEALTHPIPE_DEBIAN_MIRROR signed_by=-
else
  read -r mirror signed_by < <(machine_mirror) || true
fi
[[ -n ${mirror:-} ]] || die "no Debian mirror in /etc/apt/sources.list{,.d/}: set HEALTHPIPE_DEBIAN_MIRROR, or install the packages named in $list with apt-get install"
arch=$(dpkg --print-architecture)

declare -A updated=()

# Writes the suite's private apt configuration and refreshes its lists once per run. The
# machine's apt.conf.d still applies (a proxy, say); its sources, pins and status do not.
prepare_suite() {
  local suite=$1 dir=$cache/apt/$1
  [[ -n ${updated[$suite]:-} ]] && return 0
  mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial" "$dir/sources.list.d" "$dir/preferences.d"
  : >"$dir/status"
  local options=""
  [[ $signed_by != - ]] && options="[signed-by=$signed_by] "
  printf 'deb %s%s %s main\n' "$options" "$mirror" "$suite" >"$dir/sources.list"
  cat >"$dir/apt.conf" <<EOF
Dir::State "$dir/state";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "$dir/sources.list.d";
Dir::Etc::Preferences "$dir/preferences";
Dir::Etc::PreferencesParts "$dir/preferences.d";
Dir::Etc::Trusted "/etc/apt/trusted.gpg";
Dir::Etc::TrustedParts "/etc/apt/trusted.gpg.d";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
EOF
  # As root apt hands downloads to the _apt user, who cannot write into the project.
  [[ $EUID -eq 0 ]] && echo 'APT::Sandbox::User "root";' >>"$dir/apt.conf"
  say "apt-get update for $suite from $mirror"
  if ! APT_CONFIG=$dir/apt.conf apt-get -q update >"$dir/update.log" 2>&1; then
    tail -n 20 "$dir/update.log" >&2
    return 1
  fi
  updated[$suite]=1
}

# Downloads one package of a suite and unpacks it into the cache root.
fetch() {
  local suite=$1 package=$2 debs=$cache/debs/$1
  mkdir -p "$debs"
  rm -f "$debs/${package}"_*.deb
  (cd "$debs" && APT_CONFIG=$cache/apt/$suite/apt.conf apt-get -q download "$package" >"$cache/apt/$suite/download.log" 2>&1) || {
    tail -n 20 "$cache/apt/$suite/download.log" >&2
    return 1
  }
  local deb
  deb=$(ls "$debs/${package}"_*.deb)
  dpkg-deb -x "$deb" "$root" || return 1
  dpkg-deb -f "$deb" Version >"$cache/stamps/$suite-$package" || return 1
  say "unpacked $(basename "$deb")"
  rm -f "$deb" # the stamp and the unpacked files are all a later run needs
}

# Libraries the program cannot find, with the cache's own library folders searched too.
missing_libraries() {
  local libs
  libs=$(find "$root" -maxdepth 3 -type d -name '*-linux-gnu*' -path '*/lib/*' -printf '%p:' 2>/dev/null || true)
  LD_LIBRARY_PATH=${libs%:} ldd "$1" 2>/dev/null | awk '/not found/ { print $1 }' || true
}

# A program that links libraries this machine lacks gets the package's missing `lib*`
# dependencies from the same suite; one level is enough for the packages in the list.
# Recommends count too: plugin bundles such as monitoring-plugins-standard only recommend
# the libraries of their optional programs.
fetch_libraries() {
  local suite=$1 package=$2 dependency
  for dependency in $(APT_CONFIG=$cache/apt/$suite/apt.conf apt-cache depends --no-suggests \
    --no-conflicts --no-breaks --no-replaces --no-enhances "$package" | awk '$1 ~ /(Depends|Recommends):$/ && $2 ~ /^lib/ { print $2 }'); do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$dependency" 2>/dev/null || true) == installed ]] && continue
    fetch "$suite" "$dependency"
  done
}

say "cache: $cache"
status=0
while read -r suite package program _; do
  [[ -z ${suite:-} || $suite == \#* ]] && continue
  [[ $suite =~ ^[a-z][a-z0-9-]*$ && $package =~ ^[a-z0-9][a-z0-9.+-]*$ ]] || die "bad line in $list: $suite $package"
  how="install it with: apt-get install $package (Debian $suite), or see the messages above"
  if [[ -f $cache/stamps/$suite-$package && (-z ${program:-} || -x $root/$program) ]]; then
    say "ok $package $(cat "$cache/stamps/$suite-$package") (cached) ${program:+$root/$program}"
    continue
  fi
  if [[ -n ${program:-} && -x /$program ]]; then
    say "ok $package (installed on this machine) /$program"
    continue
  fi
  if ! prepare_suite "$suite" || ! fetch "$suite" "$package"; then
    printf 'test-components: error: cannot fetch %s from Debian %s: %s\n' "$package" "$suite" "$how" >&2
    status=1
    continue
  fi
  if [[ -n ${program:-} ]]; then
    if [[ ! -x $root/$program ]]; then
      printf 'test-components: error: %s has no program %s: fix %s\n' "$package" "$program" "$list" >&2
      status=1
      continue
    fi
    if [[ -n $(missing_libraries "$root/$program") ]]; then fetch_libraries "$suite" "$package" || true; fi
    missing=$(missing_libraries "$root/$program")
    if [[ -n $missing ]]; then
      printf 'test-components: error: %s needs libraries this machine lacks (%s): %s\n' "$program" "${missing//$'\n'/ }" "$how" >&2
      rm -f "$cache/stamps/$suite-$package"
      status=1
      continue
    fi
  fi
  say "ok $package $(cat "$cache/stamps/$suite-$package") ${program:+$root/$program}"
done < <(sed 's/#.*//' "$list")

# Chromium for the status page's browser test (DESIGN.md section 5): a system install of
# Debian's package, never a downloaded browser build. Root (as in CI) installs it; anyone
# else is told the command. HEALTHPIPE_CHROMIUM names another binary.
chromium=${HEALTHPIPE_CHROMIUM:-/usr/lib/chromium/chromium}
if [[ -x $chromium ]]; then
  say "ok chromium (installed on this machine) $chromium"
elif [[ -n ${HEALTHPIPE_CHROMIUM:-} ]]; then
  printf 'test-components: error: HEALTHPIPE_CHROMIUM=%s is not an executable file\n' "$chromium" >&2
  status=1
elif [[ $EUID -eq 0 ]]; then
  say "installing Debian's chromium: apt-get install -y chromium"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >"$cache/chromium-install.log" 2>&1 ||
    { apt-get update -q >>"$cache/chromium-install.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >>"$cache/chromium-install.log" 2>&1; }; } || [[ ! -x $chromium ]]; then
    tail -n 20 "$cache/chromium-install.log" >&2
    printf 'test-components: error: apt-get install -y chromium failed (see above); the browser test needs %s\n' "$chromium" >&2
    status=1
  else
    say "ok chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null || true) $chromium"
  fi
else
  printf 'test-components: error: the status page test needs Debian'"'"'s chromium at %s: run as root: apt-get install -y chromium\n' "$chromium" >&2
  status=1
fi
exit "$status"
