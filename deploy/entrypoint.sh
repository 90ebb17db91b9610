#!/bin/sh
# The image's entrypoint (deploy/Dockerfile): starts `gatehouse <command>` with the JVM flags the
# repository's launcher (./gatehouse) measured for that command, sized from the container's memory
# limit. The injected sidecar shares its pod's limit with the service it guards: half of the
# limit for the heap, an 8 MB young generation, C2 only, capped metaspace / code cache / direct
# memory, and glibc's freed memory handed back every 2 s (sidecar/README.md "Performance").
# GATEHOUSE_PRINT_JAVA_OPTS=1 prints the flags and exits; JAVA_TOOL_OPTIONS still applies on top.
set -eu
home="${GATEHOUSE_HOME:-/opt/gatehouse}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
opts="-Xss16m -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=10"
case "${1:-}" in
  sidecar)
    opts="$opts -XX:+UseSerialGC -Xmn8m -XX:-TieredCompilation -XX:CICompilerCount=2"
    opts="$opts -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
    opts="$opts -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=16m"
    # from JDK 17.0.9 on; an older JVM would refuse to start with it
    if "$java" -XX:TrimNativeHeapInterval=0 -version >/dev/null 2>&1; then
      opts="$opts -XX:TrimNativeHeapInterval=2000"
    fi
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    ;;
  *)
    opts="$opts -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m"
    ;;
esac
opts="$opts -Dvertx.disableFileCPResolving=true -Dvertx.cacheDirBase=${GATEHOUSE_VERTX_CACHE:-/var/lib/gatehouse/.vertx}"
if [ "${GATEHOUSE_PRINT_JAVA_OPTS:-0}" = "1" ]; then
  echo "$opts"
  exit 0
fi
# shellcheck disable=SC2086 # the options are words on purpose
exec "$java" $opts -cp "$home/gatehouse-cli.jar:$home/lib/*" dev.gatehouse.cli.Main "$@"
