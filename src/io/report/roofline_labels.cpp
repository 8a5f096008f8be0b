#include "io/report/roofline_labels.hpp"

#include <algorithm>
#include <cmath>

namespace infersim {

namespace {

constexpr double kMarkerHalfPx = 6.0;  // pt 7 / pt 5 at ps 1.2
constexpr double kGapPx = 2.0;         // between a marker and its label
constexpr int kMaxSteps = 24;          // label heights up or down before giving up on a free place

using Box = PixelBox;

bool overlap(const Box& a, const Box& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

double to_px(double v, double lo, double hi, double size) {
  return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) * size;
}

double from_px(double px, double lo, double hi, double size) {
  return std::pow(10.0, std::log10(lo) + px / size * (std::log10(hi) - std::log10(lo)));
}

struct Group {
  double x, y;
  std::vector<std::string> names;
};

// Points at the same place (to a part in 10^9: the same operator shape) become one group.
std::vector<Group> group_points(const std::vector<ChartPoint>& points) {
  const auto same = [](double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(a, b); };
  std::vector<Group> groups;
  for (const ChartPoint& p : points) {
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const Group& o) { return same(o.x, p.x) && same(o.y, p.y); });
    if (g == groups.end()) g = groups.insert(groups.end(), Group{p.x, p.y, {}});
    if (std::find(g->names.begin(), g->names.end(), p.name) == g->names.end()) g->names.push_back(p.name);
  }
  return groups;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The label's box at candidate `i`: right-above, right-below, left-above, left-below of the point, then
// the same one label height further away each round.
Box candidate(int i, double px, double py, double w) {
  const int step = i / 4;
  const bool right = i % 4 < 2;
  const bool above = i % 2 == 0;
  const double x0 = right ? px + kMarkerHalfPx + kGapPx : px - kMarkerHalfPx - kGapPx - w;
  const double shift = step * kLabelHeightPx;
  const double y0 = above ? py + kGapPx + shift : py - kGapPx - kLabelHeightPx - shift;
  return {x0, y0, x0 + w, y0 + kLabelHeightPx};
}

// Whether the box crosses the roof. The roof rises with x, so over [x0, x1] it spans [roof(x0), roof(x1)].
bool crosses_roof(const Box& b, const RoofLine& roof, const ChartFrame& f) {
  const auto roof_px = [&](double x_px) {
    const double x = from_px(x_px, f.x_lo, f.x_hi, f.width_px);
    return to_px(std::min(roof.peak, x * roof.bandwidth), f.y_lo, f.y_hi, f.height_px);
  };
  return roof_px(b.x0) < b.y1 && b.y0 < roof_px(b.x1);
}

}  // namespace

std::vector<PlacedLabel> place_labels(const std::vector<ChartPoint>& points, const ChartFrame& f,
                                      const RoofLine& roof, const std::vector<PixelBox>& keep_clear) {
  const std::vector<Group> groups = group_points(points);
  std::vector<Box> taken;
  for (const Group& g : groups) {
    const double px = to_px(g.x, f.x_lo, f.x_hi, f.width_px);
    const double py = to_px(g.y, f.y_lo, f.y_hi, f.height_px);
    taken.push_back({px - kMarkerHalfPx, py - kMarkerHalfPx, px + kMarkerHalfPx, py + kMarkerHalfPx});
  }
  taken.insert(taken.end(), keep_clear.begin(), keep_clear.end());
  const Box area{0.0, 0.0, f.width_px, f.height_px};
  // The longest labels first: they have the fewest places that fit; short ones fill the gaps after.
  std::vector<const Group*> order;
  for (const Group& g : groups) order.push_back(&g);
  std::stable_sort(order.begin(), order.end(), [](const Group* a, const Group* b) {
    return joined(a->names).size() > joined(b->names).size();
  });
  std::vector<PlacedLabel> out;
  for (const Group* group : order) {
    const Group& g = *group;
    const double px = to_px(g.x, f.x_lo, f.x_hi, f.width_px);
    const double py = to_px(g.y, f.y_lo, f.y_hi, f.height_px);
    const std::string text = joined(g.names);
    const double w = kLabelCharWidthPx * static_cast<double>(text.size());
    const auto inside = [&area](const Box& b) {
      return b.x0 >= area.x0 && b.x1 <= area.x1 && b.y0 >= area.y0 && b.y1 <= area.y1;
    };
    int chosen = -1;
    for (int i = 0; i < 4 * kMaxSteps && chosen < 0; ++i) {
      const Box b = candidate(i, px, py, w);
      const bool free =
          std::none_of(taken.begin(), taken.end(), [&b](const Box& t) { return overlap(t, b); });
      if (inside(b) && free && !crosses_roof(b, roof, f)) chosen = i;
    }
    if (chosen < 0) {  // crowded past every place searched: beside the point, inside if it can be
      chosen = 0;
      while (chosen < 3 && !inside(candidate(chosen, px, py, w))) ++chosen;
    }
    const Box b = candidate(chosen, px, py, w);
    taken.push_back(b);
    const bool right = chosen % 4 < 2;
    PlacedLabel l;
    l.text = text;
    l.right_aligned = !right;
    l.x = from_px(right ? b.x0 : b.x1, f.x_lo, f.x_hi, f.width_px);
    l.y = from_px((b.y0 + b.y1) / 2.0, f.y_lo, f.y_hi, f.height_px);
    l.leader = chosen >= 4;
    l.point_x = g.x;
    l.point_y = g.y;
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace infersim
