#include "io/serving/length_text.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "io/config/config_error.hpp"
#include "io/config/strict_number.hpp"

namespace infersim {

namespace {

using serving::LengthDist;

constexpr std::string_view kForms =
    "a token count (1024), uniform:LO:HI, normal:MEAN:SD or lognormal:MEAN:SIGMA";

std::vector<std::string_view> split_colons(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t at = text.find(':'); at != std::string_view::npos; at = text.find(':')) {
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + 1);
  }
  parts.push_back(text);
  return parts;
}

struct Form {
  std::string_view name;
  LengthDist::Kind kind;
  bool integers;
};

constexpr Form kParameterForms[] = {{"uniform", LengthDist::Kind::uniform, true},
                                    {"normal", LengthDist::Kind::normal, false},
                                    {"lognormal", LengthDist::Kind::lognormal, false}};

std::optional<double> number(std::string_view text, bool integer) {
  if (!integer) return parse_real(text);
  const auto value = parse_integer(text);
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

}  // namespace

serving::LengthDist parse_length_dist(std::string_view text, std::string_view flag) {
  const auto error = [&](std::string_view expected) {
    return InputError(fmt::format("{} must be {}, got '{}'", flag, expected, excerpt(text)));
  };
  const std::vector<std::string_view> parts = split_colons(text);
  LengthDist d;
  if (parts.size() == 1) {
    const auto tokens = parse_integer(text);
    if (!tokens) throw error(kForms);
    d = {LengthDist::Kind::fixed, static_cast<double>(*tokens), 0.0};
  } else {
    const Form* form = nullptr;
    for (const Form& f : kParameterForms)
      if (parts[0] == f.name) form = &f;
    if (form == nullptr || parts.size() != 3) throw error(kForms);
    const auto a = number(parts[1], form->integers);
    const auto b = number(parts[2], form->integers);
    d = {form->kind, a.value_or(-1.0), b.value_or(-1.0)};
  }
  if (const auto why = serving::why_invalid(d)) throw error(*why);
  return d;
}

}  // namespace infersim
