#!/usr/bin/env bash
# Builds FUNCTION_DIR/target/function-aot.zip, the `aot-provided` deployment variant of a Quarkus
# Lambda function (template.yaml, DeploymentVariant): provided.al2023 with the function's jars, the
# AWS runtime interface client, a jlinked JDK 25, an AOT cache trained on the function's sample
# events, and a `bootstrap` script. See README.md beside this script.
#
#   infra/packaging/build-aot-variant.sh FUNCTION_DIR [EVENT_PREFIX] [-- extra options]
#   e.g. infra/packaging/build-aot-variant.sh functions/wecom-callback wecom-callback-
#
# EVENT_PREFIX selects the training events, events/<EVENT_PREFIX>*.json (default: the function
# directory's name plus "-"). Extra options go to the Java packager (dev.siyu.packaging.
# ProvidedPackage; `-- --help` lists them), e.g. `-- --jvm-arg -XX:TieredStopAtLevel=1`.
# Every function at once, with Maven: ./mvnw -B package -Pvariants -DskipTests (README.md).
#
# The packaging itself (layout, jlink, training, zip) is Java in infra/packaging, the same code the
# cold-start benchmark (./siyu bench coldstart) measures, so what is measured is what ships.
# Environment: JAVA25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64): the JDK to jlink and to
# train with. The cache only loads on the JDK build that wrote it, so the jlinked runtime trains it.
set -euo pipefail

die() { echo "build-aot-variant: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 FUNCTION_DIR [EVENT_PREFIX] [-- packager options]"
root="$(cd "$(dirname "$0")/../.." && pwd)"
fn_dir="$(cd "$1" 2>/dev/null && pwd)" || die "no such directory: $1"
shift
prefix="$(basename "$fn_dir")-"
if [ $# -ge 1 ] && [ "$1" != "--" ]; then prefix="$1"; shift; fi
if [ $# -ge 1 ] && [ "$1" = "--" ]; then shift; fi

zip="$fn_dir/target/function.zip"
out="$fn_dir/target/function-aot.zip"
[ -f "$zip" ] || die "no $zip; build the function first: ./mvnw -B package -DskipTests -pl ${fn_dir#"$root"/} -am"

java25="${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$java25/bin/jlink" ] || die "no JDK 25 with jlink at $java25; set JAVA25_HOME"
"$java25/bin/java" -version 2>&1 | grep -q 'version "25' || die "$java25 is not a JDK 25"

pkg="$root/infra/packaging/target"
if [ ! -f "$pkg/classpath.txt" ] || [ ! -d "$pkg/classes/dev/siyu/packaging" ]; then
  echo "build-aot-variant: building the packager (infra/packaging) ..." >&2
  (cd "$root" && ./mvnw -B -q install -DskipTests -pl infra/packaging -am) >&2
fi

# Training talks to DynamoDB Local, ElasticMQ and the WeCom stub (embedded, no Docker) so the
# cache covers the AWS SDK and WeCom client paths too; config/local.env holds the local settings.
args=(--function-zip "$zip" --out "$out" --jdk "$java25" --events-dir "$root/events" --event-prefix "$prefix")
if [ -f "$root/config/local.env" ]; then
  args+=(--env-file "$root/config/local.env" --local-stack)
  [ -f "$root/config/scrm.example.yaml" ] && args+=(--blueprint "$root/config/scrm.example.yaml")
fi
ls "$root/events/$prefix"*.json >/dev/null 2>&1 \
  || echo "build-aot-variant: no events/$prefix*.json; training on an empty JSON object only" >&2

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java_bin" -XX:+UseSerialGC -cp "$pkg/classes:$(cat "$pkg/classpath.txt")" \
  dev.siyu.packaging.ProvidedPackage "${args[@]}" "$@"

size() { wc -c <"$1" | tr -d " "; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
echo
echo "function.zip      $(mb "$(size "$zip")")  (managed java25 variant)"
echo "function-aot.zip  $(mb "$(size "$out")")  ($out)"
if [ "$(size "$out")" -gt 50000000 ]; then
  echo "note: over Lambda's 50 MB limit for a direct zip upload; sam deploy uploads through S3, where" \
       "the limit is 250 MB unzipped (README.md, Sizes)."
fi
