#!/bin/sh
# A stand-in for a project's configure step: writes build/compile_commands.json
# for every .cpp file below the current directory.
mkdir -p build
{
  echo "["
  sep=""
  for f in $(find . -name '*.cpp' -not -path './build/*' | sed 's|^\./||' | sort); do
    printf '%s{"directory": "%s", "file": "%s", "arguments": ["clang++", "-std=c++17", "-c", "%s"]}\n' "$sep" "$PWD" "$f" "$f"
    sep=","
  done
  echo "]"
} > build/compile_commands.json
