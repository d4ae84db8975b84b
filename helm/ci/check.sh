#!/usr/bin/env bash
# Offline checks of the Helm chart helm/rxrpc-ptserver (run by ./mvnw verify through the helm module):
#  1. helm lint --strict with the defaults and with every values file in the chart's ci/ folder, and NOTES.txt;
#  2. helm template of each, every manifest validated against the Kubernetes API schemas (validate.mjs);
#  3. values.schema.json and the chart's own checks reject each file in bad-values/ with the expected message;
#  4. the rendered ports, probes and drain settings agree with each other and with the application's configuration
#     (check-config.mjs); the dashboard uses only the project's meters and the schema has no value without a default;
#  5. rx-call-test.sh: the rendered `helm test` script makes a real Rx call to OpenAFS's ptserver and fails with no
#     server; examples/ptserver/target/ptserver.jar started with the rendered ConfigMap answers the rendered probes,
#     metrics path and the test's Rx call, and exits on SIGTERM within the grace period.
# Prints "N passed, N failed" at the end; exit status 1 on any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
chart="$repo_root/helm/rxrpc-ptserver"
start=$(date +%s%N)

helm="$("$here/tools.sh")"
out="${CHECK_OUT_DIR:-$repo_root/helm/target/check}"
rm -rf "$out" && mkdir -p "$out/helm"
# helm keeps no state outside this run: no repositories, no cache, no network.
export HELM_CACHE_HOME="$out/helm/cache" HELM_CONFIG_HOME="$out/helm/config" HELM_DATA_HOME="$out/helm/data"

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
count() { # adds the "N passed, N failed" line of a node check to the totals
  local line; line="$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -1 || true)"
  if [ -z "$line" ]; then fail "$2 printed no summary"; return; fi
  passed=$((passed + $(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')))
  failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
}

# 5 (in the background: they mostly wait for a server to start or for a timeout): the rendered pod against real
# servers, OpenAFS's ptserver and examples/ptserver/target/ptserver.jar, each in a network namespace of its own.
"$helm" template rel-default "$chart" --namespace afs >"$out/rx-call-render.yaml"
"$here/rx-call-test.sh" openafs "$out/rx-call-render.yaml" "$out/openafs" "$repo_root" >"$out/openafs.log" 2>&1 &
openafs_pid=$!
"$here/rx-call-test.sh" app "$out/rx-call-render.yaml" "$out/app" "$repo_root" >"$out/app.log" 2>&1 &
app_pid=$!

# 1 + 2: lint and render defaults and every ci/ values file.
renders=()
for values in "$chart"/ci/*-values.yaml; do
  name="$(basename "$values" -values.yaml)"
  if "$helm" lint --strict "$chart" -f "$values" >"$out/lint-$name.log" 2>&1; then ok; else fail "helm lint --strict -f ci/$name-values.yaml"; cat "$out/lint-$name.log"; fi
  if "$helm" template "rel-$name" "$chart" --namespace afs -f "$values" >"$out/$name.yaml" 2>"$out/template-$name.log"; then
    ok; renders+=("$out/$name.yaml")
  else
    fail "helm template -f ci/$name-values.yaml"; cat "$out/template-$name.log"
  fi
  # NOTES.txt renders (an install dry run needs no cluster) and tells the same grace period as the manifest.
  grace="$(sed -n 's/^ *terminationGracePeriodSeconds: //p' "$out/$name.yaml" | head -1)"
  if KUBECONFIG=/dev/null "$helm" install "rel-$name" "$chart" --namespace afs -f "$values" --dry-run=client \
      >"$out/install-$name.log" 2>&1 \
    && sed -n '/^NOTES:/,$p' "$out/install-$name.log" >"$out/notes-$name.txt" \
    && grep -q "Service rel-$name-rxrpc-ptserver, port" "$out/notes-$name.txt" \
    && grep -q "terminationGracePeriodSeconds is $grace\." "$out/notes-$name.txt"; then
    ok
  else
    fail "NOTES.txt with ci/$name-values.yaml (helm install --dry-run=client):"; tail -20 "$out/install-$name.log"
  fi
done
[ -f "$out/default.yaml" ] || fail "ci/default-values.yaml missing"
node "$here/validate.mjs" "${renders[@]}" >"$out/validate.log" 2>&1 || true
grep '^FAIL' "$out/validate.log" || true
count "$out/validate.log" validate.mjs

# 3: values that must be refused, each with the message that tells the user what to change.
for values in "$here"/bad-values/*.yaml; do
  name="$(basename "$values")"
  expect="$(sed -n 's/^# expect: //p' "$values")"
  [ -n "$expect" ] || { fail "bad-values/$name has no '# expect:' line"; continue; }
  if "$helm" template rel "$chart" -f "$values" >"$out/bad-$name.out" 2>&1; then
    fail "bad-values/$name was accepted"
  elif grep -Eq -- "$expect" "$out/bad-$name.out"; then
    ok
  else
    fail "bad-values/$name refused, but not with /$expect/:"; cat "$out/bad-$name.out"
  fi
done

# 4: consistency with the application, and the chart's own files. The Spring Boot configuration metadata of the
# application's jar (its own and its libraries', Boot's and rxrpc-starter's) names every property the jar knows.
jar="$repo_root/examples/ptserver/target/ptserver.jar"
mkdir -p "$out/metadata"
if [ -f "$jar" ]; then
  unzip -Z1 "$jar" 'BOOT-INF/classes/META-INF/spring-configuration-metadata.json' 'BOOT-INF/lib/*.jar' 2>/dev/null |
    while read -r entry; do
      base="$(basename "$entry" .jar)"
      if [ "${entry%.json}" != "$entry" ]; then
        unzip -p "$jar" "$entry" >"$out/metadata/ptserver.json"
      else
        unzip -p "$jar" "$entry" >"$out/metadata/lib.jar"
        unzip -p "$out/metadata/lib.jar" META-INF/spring-configuration-metadata.json >"$out/metadata/$base.json" 2>/dev/null \
          || rm -f "$out/metadata/$base.json"
      fi
    done
  rm -f "$out/metadata/lib.jar"
else
  fail "$jar missing: build it first (./mvnw -pl helm -am verify builds it)"
fi
CHECK_METADATA_DIR="$out/metadata" node "$here/check-config.mjs" "$repo_root" "$out/default.yaml" "${renders[@]}" >"$out/config.log" 2>&1 || true
grep -E '^(FAIL|NOTE)' "$out/config.log" || true
count "$out/config.log" check-config.mjs
node "$here/check-chart.mjs" "$repo_root" >"$out/chart.log" 2>&1 || true
grep '^FAIL' "$out/chart.log" || true
count "$out/chart.log" check-chart.mjs

for mode in openafs app; do
  pid_var="${mode}_pid"
  wait "${!pid_var}" || true
  # a failure prints the server's log or the script's output after its FAIL line
  sed -n '/^FAIL/,$p' "$out/$mode.log" | grep -v -E '^[a-z-]+: [0-9]+ passed' || true
  count "$out/$mode.log" "rx-call-test.sh $mode"
done

ms=$((($(date +%s%N) - start) / 1000000))
echo "helm chart checks (${#renders[@]} renders, $(ls "$here"/bad-values/*.yaml | wc -l) refused values files, ${ms} ms; logs in ${out#$repo_root/}):"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
