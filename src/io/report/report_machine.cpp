// JSON and CSV renderings of an estimate, for scripts.
#include <fmt/format.h>

#include "core/time_by_class.hpp"
#include "io/report/report.hpp"
#include "io/report/result_check.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

std::string plain_text(const FieldValue& v) {
  struct Visitor {
    std::string operator()(long long x) const { return std::to_string(x); }
    std::string operator()(double x) const { return format_number(x); }
    std::string operator()(bool x) const { return x ? "true" : "false"; }
    std::string operator()(const std::string& x) const { return x; }
  };
  return std::visit(Visitor{}, v);
}

std::string json_value(const FieldValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return json_string(*s);
  return plain_text(v);
}

std::vector<Field> operator_fields(const char* phase, const OpResult& op, double phase_time_s) {
  const Traffic& t = op.cost.bytes;
  return {{"phase", std::string(phase)},
          {"operator", std::string(op.name)},
          {"unit", std::string(op.unit == OpUnit::matrix ? "matrix"
                               : op.unit == OpUnit::link ? "link"
                                                         : "vector")},
          {"kind", std::string(time_class_key(static_cast<int>(op.op_class)))},
          {"kernels", op.kernels},
          {"flops", op.cost.flops},
          {"weights_read_bytes", t.weights_read_B},
          {"act_read_bytes", t.act_read_B},
          {"act_written_bytes", t.act_written_B},
          {"kv_read_bytes", t.kv_read_B},
          {"kv_written_bytes", t.kv_written_B},
          {"intensity_flop_per_byte", op.intensity},
          {"bound", std::string(bound_name(op.bound))},
          {"time_s", op.time_s},
          {"time_share", phase_time_s > 0.0 ? op.time_s / phase_time_s : 0.0}};
}

std::string json_object(const std::vector<Field>& fields, const char* indent) {
  std::string out = "{";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += fmt::format("{}\n{}  {}: {}", i == 0 ? "" : ",", indent, json_string(fields[i].key),
                       json_value(fields[i].value));
  }
  return out + fmt::format("\n{}}}", indent);
}

std::string json_operator_list(const char* phase, const PhaseResult& result) {
  std::string out = "[";
  for (std::size_t i = 0; i < result.ops.size(); ++i) {
    out += (i == 0 ? "\n    " : ",\n    ") +
           json_object(operator_fields(phase, result.ops[i], result.time_s), "    ");
  }
  return out + "\n  ]";
}

}  // namespace

std::string to_json(const EstimateReport& r, bool breakdown) {
  check_estimate(r.estimate);
  std::string out = json_object(summary_fields(r), "");
  if (breakdown) {
    out.resize(out.size() - 2);  // drop the closing "\n}" to append the two operator lists
    out += fmt::format(",\n  \"prefill_operators\": {},\n  \"decode_operators\": {}\n}}",
                       json_operator_list("prefill", r.estimate.prefill),
                       json_operator_list("decode", r.estimate.decode_step));
  }
  return out + "\n";
}

std::string to_csv(const EstimateReport& r, bool breakdown) {
  check_estimate(r.estimate);
  std::vector<std::vector<Field>> rows;
  if (!breakdown) {
    rows.push_back(summary_fields(r));
  } else {
    for (const OpResult& op : r.estimate.prefill.ops)
      rows.push_back(operator_fields("prefill", op, r.estimate.prefill.time_s));
    for (const OpResult& op : r.estimate.decode_step.ops)
      rows.push_back(operator_fields("decode", op, r.estimate.decode_step.time_s));
  }
  std::string out;
  for (std::size_t i = 0; i < rows.front().size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(rows.front()[i].key);
  }
  out += '\n';
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      out += csv_field(plain_text(row[i].value));
    }
    out += '\n';
  }
  return out;
}

}  // namespace infersim
