#pragma once
// The command line's two rules for every option of every command, applied in one place after all
// options are registered and before parsing: a value may not be empty (`--shard ''` is an error, not
// "not given"), and an option that takes one value (or a flag) may be given once; options that take
// a list (`--price`) may repeat. Both are CLI::ParseError, so they exit 2 as any usage error does.
#include <CLI/CLI.hpp>

namespace infersim {

// Walks `app` and its subcommands, at any depth.
void make_options_strict(CLI::App& app);

}  // namespace infersim
