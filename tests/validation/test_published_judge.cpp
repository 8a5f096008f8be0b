// The judging loop of `infersim validate --published` (validation/published_judge.hpp) on the shipped
// published rows and mapping, its files loaded through counting loaders.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/published/published_csv.hpp"
#include "io/published/published_mapping.hpp"
#include "io/published/row_mapping.hpp"
#include "support/fixtures.hpp"
#include "validation/published_judge.hpp"

using namespace infersim;

namespace {

struct CountingSources {
  std::map<std::string, int> asked;

  PublishedSources sources(bool models_fail = false) {
    const auto file = [](const std::string& dir, const std::string& name) {
      return test::source_path(dir + "/" + name + ".yaml");
    };
    return {[this, file, models_fail](const std::string& n) {
              ++asked["model " + n];
              if (models_fail) throw InputError("no model file '" + n + "'");
              return load_model(file("model_configs", n));
            },
            [this, file](const std::string& n) {
              ++asked["hardware " + n];
              return load_hardware(file("hardware_profiles", n));
            },
            [this, file](const std::string& n) {
              ++asked["runtime " + n];
              return load_runtime(file("runtime_profiles", n));
            }};
  }
};

}  // namespace

TEST_CASE("published judging: one case per row, each shipped file loaded once") {
  const auto rows = read_published_csv(test::source_path("validation/published/published_measurements.csv"));
  const auto mapping = load_published_mapping(test::source_path("validation/published/mapping.yaml"));
  CountingSources counting;
  const std::vector<PublishedCase> cases = judge_published(map_published(rows, mapping), counting.sources());
  REQUIRE(cases.size() == rows.size());
  int mapped = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CHECK(cases[i].row.line == rows[i].line);
    if (!cases[i].mapping.config) continue;
    ++mapped;
    CHECK(cases[i].predicted > 0.0);
    CHECK(cases[i].rel_error == Approx(cases[i].predicted / cases[i].mapping.config->published - 1.0));
  }
  CHECK(mapped > 0);
  CHECK_FALSE(counting.asked.empty());
  for (const auto& [name, times] : counting.asked) CHECK(times == 1);

  // One MLPerf Server result (lines 74, 75, 76: DGX-H100's throughput, mean TTFT, mean TPOT) is one run:
  // each row reads its figure from the same search's run.
  const auto at_line = [&cases](int line) -> const PublishedCase& {
    for (const PublishedCase& c : cases) {
      if (c.row.line == line) return c;
    }
    FAIL("no case at line " << line);
    return cases.front();
  };
  const PublishedCase& tput = at_line(74);
  REQUIRE(tput.serving);
  for (const int line : {75, 76}) {
    const PublishedCase& c = at_line(line);
    REQUIRE(c.serving);
    CHECK(c.serving->rate_rps == tput.serving->rate_rps);
    CHECK(c.serving->summary.requests == tput.serving->summary.requests);
  }
  CHECK(at_line(75).predicted == Approx(tput.serving->summary.ttft_mean_s * 1e3));
  CHECK(at_line(76).predicted == Approx(tput.serving->summary.tpot_mean_s * 1e3));
  // The run lasts the log's 2400 s at the rate found: ceil(R x 2400) requests, far above the 24,576 asked.
  CHECK(tput.serving->summary.requests + tput.serving->summary.rejected ==
        static_cast<long long>(std::ceil(tput.serving->rate_rps * 2400.0)));
}

TEST_CASE("published judging: a model that cannot be loaded is an error, not an unmapped row") {
  // A configuration file that does not load (overwritten, corrupted) must stop the validation with the
  // loader's message; hiding it as "the engine rejects the configuration" would let it go unnoticed.
  const auto rows = read_published_csv(test::source_path("validation/published/published_measurements.csv"));
  const auto mapping = load_published_mapping(test::source_path("validation/published/mapping.yaml"));
  CountingSources counting;
  CHECK_THROWS_WITH(judge_published(map_published(rows, mapping), counting.sources(true)),
                    Catch::Matchers::StartsWith("no model file"));
}

TEST_CASE("published judging: the progress feed counts every case, mapped or not, to the total") {
  // Three rows the mapping does not map (no file is loaded for them) and none: the feed is called once a
  // case, with the cases judged so far and their total, and never for an empty list.
  std::vector<PublishedCase> unmapped(3);
  for (PublishedCase& c : unmapped) c.mapping.reason = "not mapped";
  CountingSources counting;
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  const auto feed = [&calls](std::size_t judged, std::size_t total) { calls.emplace_back(judged, total); };
  const std::vector<PublishedCase> judged = judge_published(unmapped, counting.sources(), feed);
  CHECK(judged.size() == 3);
  CHECK(calls == std::vector<std::pair<std::size_t, std::size_t>>{{1, 3}, {2, 3}, {3, 3}});
  CHECK(counting.asked.empty());
  calls.clear();
  CHECK(judge_published({}, counting.sources(), feed).empty());
  CHECK(calls.empty());
}
