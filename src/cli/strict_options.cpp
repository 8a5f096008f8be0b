#include "cli/strict_options.hpp"

#include <string>

namespace infersim {

namespace {

void make_option_strict(CLI::Option& option) {
  const bool takes_a_list = option.get_expected_max() > 1;  // a vector: expected_max_vector_size
  if (!takes_a_list) option.multi_option_policy(CLI::MultiOptionPolicy::Throw);
  if (option.get_expected_min() == 0) return;  // a flag: no value to check
  // A transform runs before the option's own checks and conversion, so the message is the same
  // whatever the option's type. It throws a ParseError, not a ValidationError: CLI11 would prefix
  // the latter with the option's name and a colon.
  const std::string name = option.get_name();
  option.transform(CLI::Validator(
      [name](std::string& value) -> std::string {
        if (value.empty())
          throw CLI::ParseError(name + " must not be empty", CLI::ExitCodes::ValidationError);
        return {};
      },
      ""));
}

}  // namespace

void make_options_strict(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option == app.get_help_ptr() || option == app.get_help_all_ptr() || option == app.get_version_ptr())
      continue;
    make_option_strict(*option);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) make_options_strict(*sub);
}

}  // namespace infersim
