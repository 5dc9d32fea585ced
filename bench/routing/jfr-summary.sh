#!/usr/bin/env bash
# Summarises a JFR recording of the hub (made by run.sh --profile) as Markdown: where the CPU samples are, by thread,
# by top frame (self) and by hub/netty/spring/reactor frame anywhere on the stack (inclusive), plus GC and the most
# allocated classes.   bench/routing/jfr-summary.sh recording.jfr [top-n]
set -eu   # no pipefail: `sort | head` ends with SIGPIPE by design
JFR_FILE=${1:?usage: jfr-summary.sh recording.jfr [top-n]}
TOP=${2:-25}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

jfr print --events jdk.ExecutionSample --stack-depth 128 "$JFR_FILE" >"$TMP/samples.txt"

# one line per sample: thread<TAB>frame1<TAB>frame2... (top first, "line:" and bytecode index cut off)
awk '
    /^jdk.ExecutionSample/ { inside = 1; thread = ""; n = 0; next }
    inside && /sampledThread = / { match($0, /"[^"]*"/); thread = substr($0, RSTART + 1, RLENGTH - 2); next }
    inside && /stackTrace = \[/ { stack = 1; next }
    stack && /^[ \t]*\]/ { stack = 0; next }
    stack {
        f = $0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*$/, "", f)
        if (f == "...") next
        frames[++n] = f; next
    }
    inside && /^}/ {
        if (n > 0) { line = thread; for (i = 1; i <= n; i++) line = line "\t" frames[i]; print line }
        inside = 0
    }
' "$TMP/samples.txt" >"$TMP/stacks.tsv"

TOTAL=$(wc -l <"$TMP/stacks.tsv")
pct() { awk -v n="$1" -v t="$TOTAL" 'BEGIN { printf "%.1f", t ? 100 * n / t : 0 }'; }
table() { # count<TAB>name lines → markdown rows
    while IFS=$'\t' read -r count name; do
        printf '| %s | %s | `%s` |\n' "$count" "$(pct "$count")" "$name"
    done
}

echo "# Hub profile (JFR, \`settings=profile\`)"
echo
echo "Recording: \`$(basename "$JFR_FILE")\`; $TOTAL execution samples (Java code only: time in the kernel, e.g."
echo "epoll and socket writes, shows up as the native method that called it, or not at all)."
echo
echo "## Samples by thread"
echo
echo "| samples | % | thread (numbers folded) |"
echo "|---:|---:|---|"
cut -f1 "$TMP/stacks.tsv" | sed -E 's/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -"$TOP" \
    | awk '{c = $1; $1 = ""; sub(/^ /, ""); print c "\t" $0}' | table
echo
echo "## Top frames (self time)"
echo
echo "| samples | % | method on top of the stack |"
echo "|---:|---:|---|"
cut -f2 "$TMP/stacks.tsv" | sort | uniq -c | sort -rn | head -"$TOP" \
    | awk '{c = $1; $1 = ""; sub(/^ /, ""); print c "\t" $0}' | table
echo
echo "## Self time by component"
echo
echo "Each sample goes to the innermost frame that is not the JDK's (so a HashMap.get called by Spring's header code"
echo "counts for Spring's headers)."
echo
echo "| samples | % | component |"
echo "|---:|---:|---|"
awk -F'\t' '
function component(f) {
    if (f ~ /^org\.ocpihub\./) { split(f, p, "."); return "hub: org.ocpihub." p[3] "." p[4] }
    if (f ~ /^io\.netty\.handler\.codec\.http/) return "Netty HTTP codec"
    if (f ~ /^io\.netty\.(buffer|util)/) return "Netty buffers and utilities"
    if (f ~ /^io\.netty\./) return "Netty channels, event loop, epoll"
    if (f ~ /^reactor\.netty\.http\.server/) return "Reactor Netty HTTP server"
    if (f ~ /^reactor\.netty\.(http\.client|resources|internal\.shaded\.reactor\.pool)/) return "Reactor Netty HTTP client and pool"
    if (f ~ /^reactor\.netty\./) return "Reactor Netty core"
    if (f ~ /^reactor\.core\.publisher\.(FluxOnAssembly|MonoOnAssembly)/) return "Reactor checkpoints (onAssembly)"
    if (f ~ /^reactor\./) return "Reactor operators"
    if (f ~ /^org\.springframework\.web\.reactive\.function\.client/) return "Spring WebClient"
    if (f ~ /^org\.springframework\.http\.client/) return "Spring HTTP client connector"
    if (f ~ /^org\.springframework\.(http\.server|web\.server|web\.filter|web\.reactive)/) return "Spring WebFlux server side"
    if (f ~ /^org\.springframework\.(http\.|util\.(LinkedCaseInsensitiveMap|MultiValueMapAdapter))/) return "Spring HttpHeaders and HTTP types"
    if (f ~ /^org\.springframework\.(boot\.logging|boot\.ansi|core\.log)/) return "logging (logback, slf4j)"
    if (f ~ /^org\.springframework\.boot\.loader/) return "Spring Boot jar loader (map keys seen under logback converters)"
    if (f ~ /^org\.springframework\./) { split(f, p, "("); return "Spring other: " p[1] }
    if (f ~ /^io\.micrometer\./) return "Micrometer (metrics, observations)"
    if (f ~ /^(ch\.qos\.logback|org\.slf4j)/) return "logging (logback, slf4j)"
    if (f ~ /^io\.github\.resilience4j/) return "resilience4j"
    if (f ~ /^(kafka|org\.apache\.kafka|scala)\./) return "embedded Kafka"
    if (f ~ /^(tools\.jackson|com\.fasterxml)/) return "Jackson"
    return ""
}
{
    c = ""
    for (i = 2; i <= NF && c == ""; i++) {
        if ($i ~ /^(java|jdk|sun|javax)\./) continue
        c = component($i)
        if (c == "") { split($i, p, "."); c = "other: " p[1] "." p[2] "." p[3] }
    }
    if (c == "") c = "JDK only"
    n[c]++
} END { for (c in n) print n[c] "\t" c }' "$TMP/stacks.tsv" | sort -t$'\t' -k1,1rn | table
echo
echo "## Self time by package (top frame)"
echo
echo "| samples | % | package |"
echo "|---:|---:|---|"
cut -f2 "$TMP/stacks.tsv" | awk '{ n = split($0, p, "."); out = p[1]; for (i = 2; i <= n - 2 && i <= 4; i++) out = out "." p[i]; print out }' \
    | sort | uniq -c | sort -rn | head -"$TOP" | awk '{print $1 "\t" $2}' | table
echo
echo "## Inclusive: hub, Spring, Reactor, Netty, Jackson, logging, metrics frames anywhere on the stack"
echo
echo "| samples | % | method (counted once per sample) |"
echo "|---:|---:|---|"
awk -F'\t' '{
    delete seen
    for (i = 2; i <= NF; i++) {
        f = $i
        if (f ~ /^(org\.ocpihub|org\.springframework|reactor\.|io\.netty|tools\.jackson|com\.fasterxml|ch\.qos\.logback|org\.slf4j|io\.micrometer|io\.github\.resilience4j)/ && !(f in seen)) {
            seen[f] = 1; count[f]++
        }
    }
} END { for (f in count) print count[f] "\t" f }' "$TMP/stacks.tsv" | sort -t$'\t' -k1,1rn | head -"$((TOP * 2))" | table
echo
echo "## Inclusive: the hub's own code (org.ocpihub)"
echo
echo "| samples | % | method |"
echo "|---:|---:|---|"
awk -F'\t' '{
    delete seen
    for (i = 2; i <= NF; i++) if ($i ~ /^org\.ocpihub/ && !($i in seen)) { seen[$i] = 1; count[$i]++ }
} END { for (f in count) print count[f] "\t" f }' "$TMP/stacks.tsv" | sort -t$'\t' -k1,1rn | head -"$TOP" | table
echo
echo "## Garbage collection"
echo
jfr print --events jdk.GarbageCollection "$JFR_FILE" | awk '
    /name = / { gsub(/"/, "", $3); name = $3 }
    /sumOfPauses = / { v = $3; u = $4; ms = (u == "s") ? v * 1000 : (u == "us" ? v / 1000 : (u == "ns" ? v / 1e6 : v)); n[name]++; t[name] += ms }
    END { if (length(n) == 0) print "no collections recorded"; for (k in n) printf "- %s: %d collections, %.1f ms of pauses in total\n", k, n[k], t[k] }'
echo
echo "## Most allocated classes (jdk.ObjectAllocationSample)"
echo
echo "Weight = bytes the thread allocated since its previous sample; each thread's first sample (everything since"
echo "the thread started) is left out. Allocation sites: the first frame outside the JDK."
echo
echo "| MB (weight) | % | class | first non-JDK frame allocating it |"
echo "|---:|---:|---|---|"
jfr print --events jdk.ObjectAllocationSample --stack-depth 16 "$JFR_FILE" | awk '
    /^jdk.ObjectAllocationSample/ { cls = ""; w = 0; thread = ""; site = ""; n = 0 }
    /objectClass = / { cls = $3 }
    /weight = / {
        v = $3; u = $4
        w = (u == "GB") ? v * 1024 : (u == "MB" ? v : (u == "kB" ? v / 1024 : v / 1048576))
    }
    /eventThread = / { match($0, /"[^"]*"/); thread = substr($0, RSTART + 1, RLENGTH - 2) }
    /stackTrace = \[/ { stack = 1; next }
    stack && /^[ \t]*\]/ {
        stack = 0
        if (!(thread in seen)) { seen[thread] = 1; next }
        key = cls "\t" (site == "" ? "(JDK only)" : site)
        W[key] += w; total += w
        next
    }
    stack && site == "" {
        f = $0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*$/, "", f)
        if (f !~ /^(java|jdk|sun)\./ && f != "...") site = f
    }
    END { for (k in W) printf "%.1f\t%.1f\t%s\n", W[k], total ? 100 * W[k] / total : 0, k }' \
    | sort -t$'\t' -k1,1rn | head -20 | awk -F'\t' '{printf "| %s | %s | `%s` | `%s` |\n", $1, $2, $3, $4}'
