#!/usr/bin/env bash
# Our Docker client against Docker.DotNet.Enhanced, same engine, same run (docs/platform.md,
# "Why our own Docker client"). Usage: bench/DockerClientBench/run.sh [calls] [rounds]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dotnet build "$here" -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet "$here/bin/Release/net10.0/Classcloud.DockerClientBench.dll" "$@"
