#!/bin/sh
# A stand-in for a project's configure step: writes build/compile_commands.json
# for every .cpp file of the current directory.
mkdir -p build
{
  echo "["
  sep=""
  for f in *.cpp; do
    printf '%s{"directory": "%s", "file": "%s", "arguments": ["clang++", "-std=c++17", "-c", "%s"]}\n' "$sep" "$PWD" "$f" "$f"
    sep=","
  done
  echo "]"
} > build/compile_commands.json
