// A quantized model's activations (docs/formulas.md#activation_bytes): its GEMMs read their inputs in the
// compute dtype; everything else moves 16-bit values. Expected bytes are worked by hand from the shapes.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/operators.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {

const Operator& op_named(const std::vector<Operator>& ops, const std::string& name) {
  for (const Operator& op : ops) {
    if (name == op.name) return op;
  }
  FAIL("no operator " << name);
  return ops.front();
}

// One decode step of Llama-2-7B's shape (hidden 4096, 32 heads, FFN 11008) at batch 8 over tp 2.
std::vector<Operator> decode_step(Dtype activations) {
  PassShape shape;
  shape.batch = 8.0;
  shape.layout.tp = 2;
  shape.formats =
      tensor_formats(weight_formats(default_storage_format(Dtype::fp8), false), activations, Dtype::fp8);
  ModelSpec shard = test::llama2_7b();  // the tp 2 shard: 16 heads, FFN 5504
  shard.attention_heads = 16;
  shard.kv_heads = 16;
  shard.intermediate_size = 5504;
  shard.vocab_size = 16000;
  return decode_operators(shard, shape);
}

}  // namespace

TEST_CASE("tensor_formats: quantized compute keeps 16-bit activations, 16 bits or wider keeps its own") {
  const WeightFormats w = weight_formats(default_storage_format(Dtype::bf16), false);
  const TensorFormats fp8 = tensor_formats(w, Dtype::fp8, Dtype::fp8);
  CHECK(fp8.gemm_input_bytes == 1.0);
  CHECK(fp8.act_bytes == 2.0);
  CHECK(fp8.kv_bytes == 1.0);
  const TensorFormats fp4 = tensor_formats(w, Dtype::nvfp4, Dtype::fp8);
  CHECK(fp4.gemm_input_bytes == Approx(bytes_per_element(Dtype::nvfp4)));
  CHECK(fp4.act_bytes == 2.0);
  const TensorFormats bf16 = tensor_formats(w, Dtype::bf16, Dtype::bf16);
  CHECK(bf16.gemm_input_bytes == 2.0);
  CHECK(bf16.act_bytes == 2.0);
  const TensorFormats fp32 = tensor_formats(w, Dtype::fp32, Dtype::fp32);
  CHECK(fp32.gemm_input_bytes == 4.0);
  CHECK(fp32.act_bytes == 4.0);
}

TEST_CASE(
    "fp8 compute: a GEMM reads its input in fp8 and writes bf16 while norms and all-reduces stay bf16") {
  const std::vector<Operator> ops = decode_step(Dtype::fp8);
  // q_proj on the tp 2 shard: [8 x 4096] . [4096 x 2048]: reads 8 x 4096 x 1 B = 32,768 B of input, writes
  // 8 x 2048 x 2 B = 32,768 B.
  const Operator& q = op_named(ops, "q_proj");
  CHECK(q.fixed.bytes.act_read_B == 32'768.0);
  CHECK(q.fixed.bytes.act_written_B == 32'768.0);
  // RMSNorm over 8 x 4096 values: reads and writes them at 2 bytes, 65,536 B each way.
  const Operator& norm = op_named(ops, "attn_norm");
  CHECK(norm.fixed.bytes.act_read_B == 65'536.0);
  CHECK(norm.fixed.bytes.act_written_B == 65'536.0);
  // The all-reduce after attention sums 8 x 4096 bf16 values: 65,536 B.
  CHECK(op_named(ops, "attn_allreduce").comm.message_B == 65'536.0);
  // In bf16 the same GEMM reads its input at 2 bytes: 65,536 B.
  CHECK(op_named(decode_step(Dtype::bf16), "q_proj").fixed.bytes.act_read_B == 65'536.0);
}
