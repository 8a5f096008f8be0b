#pragma once
// Where the roofline chart's operator labels go, so that each stays legible: operators drawn at the same
// point (q_proj, k_proj and v_proj of a model with as many KV heads as query heads; the norms) share one
// label, "q_proj, k_proj, v_proj"; a label that would cover another label or a point moves to the next free
// place beside its point, then further up or down with a leader line back to it. Pure geometry on a chart
// of known size in pixels with logarithmic axes; the gnuplot text is html_report's.
#include <string>
#include <vector>

namespace infersim {

struct ChartPoint {
  double x = 0.0;  // data coordinates (both axes logarithmic), positive
  double y = 0.0;
  std::string name;
};

// The plot area: its data ranges and its size in pixels.
struct ChartFrame {
  double x_lo = 0.0, x_hi = 0.0, y_lo = 0.0, y_hi = 0.0;
  double width_px = 0.0, height_px = 0.0;
};

// A rectangle in pixels from the bottom left of the plot area.
struct PixelBox {
  double x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0;
};

struct PlacedLabel {
  std::string text;            // one name, or the names of the points it stands for, ", "-separated
  double x = 0.0, y = 0.0;     // where the text is anchored (data coordinates), vertically centred
  bool right_aligned = false;  // the anchor is the text's right end (label left of its point)
  bool leader = false;         // too far from its point to read as its own: draw a line back to it
  double point_x = 0.0, point_y = 0.0;
};

// The text size the layout assumes, in pixels: gnuplot's svg terminal at font size 8 (sans).
inline constexpr double kLabelCharWidthPx = 5.0;
inline constexpr double kLabelHeightPx = 11.0;

// The roof drawn on the chart, min(peak, x * bandwidth): no label is written across it.
struct RoofLine {
  double bandwidth = 0.0;  // the slope: y per x
  double peak = 0.0;
};

// One label per distinct point (names in order of first appearance, each name once), the longest placed
// first, each inside the plot area where there is room; returned longest first. `keep_clear`: what no label
// may cover besides the points, the roof and the other labels (the key).
[[nodiscard]] std::vector<PlacedLabel> place_labels(const std::vector<ChartPoint>& points,
                                                    const ChartFrame& frame, const RoofLine& roof,
                                                    const std::vector<PixelBox>& keep_clear = {});

}  // namespace infersim
