// The roofline chart's label layout (io/report/roofline_labels.hpp): co-located operators share a label,
// labels keep clear of each other, of the points, of the roof and of the key, and stay in the plot area.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "io/report/roofline_labels.hpp"

using namespace infersim;

namespace {

// Three decades on each axis over 300 px: 100 px a decade, so a point at (10, 10) sits at pixel (100, 100).
const ChartFrame kFrame{1.0, 1000.0, 1.0, 1000.0, 300.0, 300.0};
const RoofLine kNoRoof{1e9, 1e9};  // far above the frame: crosses nothing

double px(double v) { return std::log10(v) * 100.0; }

// The box the layout reserved for a label, rebuilt from where it anchored the text.
PixelBox box_of(const PlacedLabel& l) {
  const double w = kLabelCharWidthPx * static_cast<double>(l.text.size());
  const double x = px(l.x), y = px(l.y);
  return {l.right_aligned ? x - w : x, y - kLabelHeightPx / 2, l.right_aligned ? x : x + w,
          y + kLabelHeightPx / 2};
}

bool overlap(const PixelBox& a, const PixelBox& b) {
  const double e = 1e-6;  // adjacent boxes share an edge
  return a.x0 < b.x1 - e && b.x0 < a.x1 - e && a.y0 < b.y1 - e && b.y0 < a.y1 - e;
}

}  // namespace

TEST_CASE("roofline labels: a lone point's label sits right above it, without a leader") {
  // Right of the 6 px marker half-width and a 2 px gap: x0 = 100 + 8 = 108 px -> 10^1.08; its 11 px box
  // 2 px above the point: centre 100 + 2 + 5.5 = 107.5 px -> 10^1.075.
  const auto labels = place_labels({{10.0, 10.0, "q_proj"}}, kFrame, kNoRoof);
  REQUIRE(labels.size() == 1);
  CHECK(labels[0].text == "q_proj");
  CHECK_FALSE(labels[0].right_aligned);
  CHECK_FALSE(labels[0].leader);
  CHECK(labels[0].x == Approx(std::pow(10.0, 1.08)));
  CHECK(labels[0].y == Approx(std::pow(10.0, 1.075)));
  // Something to keep clear right above (the key, say) sends it right below: centre 100 - 7.5 px.
  const auto below = place_labels({{10.0, 10.0, "q_proj"}}, kFrame, kNoRoof, {{100.0, 100.0, 200.0, 130.0}});
  REQUIRE(below.size() == 1);
  CHECK(below[0].y == Approx(std::pow(10.0, 0.925)));
  // The roof y = x runs through the point at 45 degrees (equal scales): right above, the box (108..138,
  // 102..113) has the roof at 108..138 px across it; right below (89..100) it is clear.
  const auto roofed = place_labels({{10.0, 10.0, "q_proj"}}, kFrame, {1.0, 1e9});
  REQUIRE(roofed.size() == 1);
  CHECK(roofed[0].y == Approx(std::pow(10.0, 0.925)));
}

TEST_CASE("roofline labels: operators at one point share one label, each name once") {
  const auto labels = place_labels({{100.0, 50.0, "q_proj"},
                                    {100.0, 50.0, "k_proj"},
                                    {2.0, 3.0, "rotary"},
                                    {100.0, 50.0, "v_proj"},
                                    {100.0, 50.0, "k_proj"}},  // the same operator in the other phase
                                   kFrame, kNoRoof);
  REQUIRE(labels.size() == 2);
  CHECK(labels[0].text == "q_proj, k_proj, v_proj");  // the longest is placed (and listed) first
  CHECK(labels[1].text == "rotary");
}

TEST_CASE("roofline labels: a crowd of points gets labels that overlap nothing and stay in the frame") {
  // Twelve operators within a few pixels of (30, 30) and three spread out, as a decode step's
  // memory-bound operators crowd around intensity 1.
  std::vector<ChartPoint> points;
  for (int i = 0; i < 12; ++i)
    points.push_back({30.0 * (1.0 + 0.01 * i), 30.0 * (1.0 + 0.02 * (i % 3)), "op_" + std::to_string(i)});
  points.push_back({2.0, 2.0, "attn_residual, mlp_residual"});
  points.push_back({500.0, 400.0, "lm_head"});
  points.push_back({3.0, 200.0, "router"});
  const PixelBox key{200.0, 0.0, 300.0, 40.0};
  const auto labels = place_labels(points, kFrame, kNoRoof, {key});
  REQUIRE(labels.size() == points.size());
  int leaders = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    INFO(labels[i].text);
    const PixelBox b = box_of(labels[i]);
    CHECK(b.x0 >= -1e-9);
    CHECK(b.x1 <= 300.0 + 1e-9);
    CHECK(b.y0 >= -1e-9);
    CHECK(b.y1 <= 300.0 + 1e-9);
    CHECK_FALSE(overlap(b, key));
    for (const ChartPoint& p : points)
      CHECK_FALSE(overlap(b, {px(p.x) - 6, px(p.y) - 6, px(p.x) + 6, px(p.y) + 6}));
    for (std::size_t j = i + 1; j < labels.size(); ++j) CHECK_FALSE(overlap(b, box_of(labels[j])));
    leaders += labels[i].leader ? 1 : 0;
  }
  // Only four places touch a point; the crowd's other labels are moved out and drawn with a leader.
  CHECK(leaders >= 8);
}
