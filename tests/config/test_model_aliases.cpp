// The model alias table (model_configs/aliases.yaml, io/config/model_aliases.hpp): every shipped alias
// names a shipped model, names resolve without regard to case, an existing file wins over an alias,
// the table is not a model, and a malformed table is an error naming its line.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/errors.hpp"
#include "io/config/config_error.hpp"
#include "io/config/model_aliases.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/search_path.hpp"
#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using namespace infersim;

namespace {

SearchPath shipped_search() { return SearchPath(test::source_path(""), ""); }

std::string alias_error(const std::string& text) {
  try {
    (void)load_model_aliases_text(text, "aliases.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

std::filesystem::path scratch_dir() {
  const auto dir =
      std::filesystem::temp_directory_path() / ("infersim_alias_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir / "model_configs");
  return dir;
}

}  // namespace

TEST_CASE("Every shipped alias names a shipped model, and the table is not listed as one") {
  const SearchPath search = shipped_search();
  const std::vector<ModelAlias> aliases = search.model_aliases();
  CHECK(aliases.size() >= 60);
  for (const ModelAlias& a : aliases) {
    INFO(a.alias);
    const std::string path = search.resolve("model_configs", a.alias);
    CHECK(path == test::source_path("model_configs/" + a.model + ".yaml"));
    CHECK_NOTHROW(load_model(path));
  }
  for (const NamedFile& f : search.list("model_configs")) CHECK(f.name != kModelAliasStem);
  CHECK_THROWS_AS(search.resolve("model_configs", "aliases"), InputError);  // not a model
}

TEST_CASE("Hugging Face names resolve without regard to case, DeepSeek-R1 is the V3 architecture") {
  const SearchPath search = shipped_search();
  const auto model_of = [&search](const std::string& name) {
    return load_model(search.resolve("model_configs", name)).name;
  };
  CHECK(model_of("meta-llama/Llama-3.1-8B-Instruct") == "llama-3.1-8b");
  CHECK(model_of("Qwen/Qwen3-235B-A22B") == "qwen3-235b-a22b");
  CHECK(model_of("openai/gpt-oss-120b") == "gpt-oss-120b");
  CHECK(model_of("OPENAI/GPT-OSS-120B") == "gpt-oss-120b");
  CHECK(model_of("deepseek-ai/DeepSeek-R1") == "deepseek-v3");
  CHECK(model_of("gpt-oss-120b") == "gpt-oss-120b");  // a model name stays a model name
  // Unknown: the message suggests close aliases too.
  try {
    (void)search.resolve("model_configs", "Qwen/Qwen3-8b-Instrct");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(),
               Catch::StartsWith("unknown model 'Qwen/Qwen3-8b-Instrct': no such file, and no alias "
                                 "of that name; did you mean "));
    CHECK_THAT(e.what(), Catch::Contains("Qwen/Qwen3-8B"));
  }
}

TEST_CASE("An existing file wins over an alias, a table in --config-dir comes first") {
  const auto dir = scratch_dir();
  // A file at the alias's own path, relative to the working directory.
  std::filesystem::create_directories(dir / "openai");
  std::filesystem::copy_file(test::source_path("model_configs/llama-3.2-1b.yaml"),
                             dir / "openai" / "gpt-oss-20b",
                             std::filesystem::copy_options::overwrite_existing);
  const auto here = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  const std::string found = shipped_search().resolve("model_configs", "openai/gpt-oss-20b");
  std::filesystem::current_path(here);
  CHECK(found == "openai/gpt-oss-20b");
  // A user's table: its alias wins over the shipped one of the same name, and may name a shipped model.
  std::ofstream(dir / "model_configs" / "aliases.yaml")
      << "openai/gpt-oss-20b: llama-3.2-1b\nmine: qwen3-8b\n";
  const SearchPath search(dir.string(), "");
  CHECK(load_model(search.resolve("model_configs", "openai/gpt-oss-20b")).name == "llama-3.2-1b");
  CHECK(load_model(search.resolve("model_configs", "MINE")).name == "qwen3-8b");
  CHECK(load_model(search.resolve("model_configs", "openai/gpt-oss-120b")).name == "gpt-oss-120b");
  // An alias naming no model is an error at its line in its table.
  std::ofstream(dir / "model_configs" / "aliases.yaml") << "# mine\nbroken: no-such-model\n";
  try {
    (void)SearchPath(dir.string(), "").resolve("model_configs", "broken");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith((dir / "model_configs" / "aliases.yaml").string() +
                                           ":2:9: error: "
                                           "alias 'broken' names model 'no-such-model', which is not found"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("A malformed alias table is an error naming the line, whatever is asked of it") {
  CHECK_THAT(alias_error("a/b: llama-3.1-8b\nA/B: qwen3-8b\n"),
             Catch::StartsWith("aliases.yaml:2:1: error: duplicate alias 'A/B' (first at line 1;"));
  CHECK_THAT(alias_error("a/b: Llama-3.1-8B\n"),
             Catch::StartsWith("aliases.yaml:1:6: error: 'a/b' must be a model name (lower-case letters"));
  CHECK_THAT(alias_error("a/b: [x, y]\n"),
             Catch::StartsWith("aliases.yaml:1:6: error: 'a/b' must be a model name") &&
                 Catch::EndsWith("got no single name"));
  CHECK_THAT(alias_error("a/b: models/x\n"), Catch::Contains("got 'models/x'"));
  CHECK_THAT(alias_error("a/b: aliases\n"), Catch::Contains("must be a model name"));
  CHECK_THAT(alias_error("[x]: y\n"), Catch::StartsWith("aliases.yaml:1:1: error: an alias must be a name"));
  CHECK_THAT(alias_error("a b: y\n"), Catch::StartsWith("aliases.yaml:1:1: error: an alias must be a name"));
  CHECK_THAT(alias_error("- a\n"), Catch::Contains("top level must be a mapping"));
  CHECK(alias_error("a/b: x\n# comment\nc: y-1.2_z\n") == "(no error)");
  // Through the CLI, a broken table in --config-dir stops `estimate` with exit 2 and the same message.
  const auto dir = scratch_dir();
  std::ofstream(dir / "model_configs" / "aliases.yaml") << "x: [\n";
  const test::Run r = test::run_infersim("--config-dir " + dir.string() + " estimate -m org/model");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains((dir / "model_configs" / "aliases.yaml").string() + ":"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("infersim: -m takes an alias, and list models shows the aliases after the models") {
  const std::string data = "--config-dir " + test::source_path("") + " ";
  const test::Run by_alias = test::run_infersim(data + "estimate -m Qwen/Qwen3-8B -g h100-sxm --format json");
  const test::Run by_name = test::run_infersim(data + "estimate -m qwen3-8b -g h100-sxm --format json");
  REQUIRE(by_alias.exit_code == 0);
  CHECK(by_alias.out == by_name.out);
  const test::Run list = test::run_infersim(data + "list models");
  REQUIRE(list.exit_code == 0);
  const std::size_t section = list.out.find("\naliases (Hugging Face repository names");
  REQUIRE(section != std::string::npos);
  CHECK(list.out.find("deepseek-ai/DeepSeek-R1 ", section) != std::string::npos);
  CHECK(list.out.find("\nqwen3-8b ") < section);
}
