// KV-cache sizes (docs/formulas.md#kv_bytes_per_token: Shazeer 2019; Ainslie et al. 2023; the 2 GiB check).
#include <catch2/catch.hpp>

#include "core/formulas/kv_cache.hpp"

using namespace infersim;

TEST_CASE("Llama-2-7B fp16, batch 1, 4096 tokens caches 2 GiB") {
  // 1 * 4096 * 2 * 32 * 4096 * 2 = 2,147,483,648 (NVIDIA "Mastering LLM Techniques" example).
  const double per_token = kv_bytes_per_token(32, 32, 128, 2.0);
  CHECK(per_token == 524'288.0);
  CHECK(kv_cache_bytes(1, 4096, 0, per_token) == 2'147'483'648.0);
}

TEST_CASE("One layer, 32 heads of 128, 2048 tokens, fp16: MHA 33.5 MB, GQA-8 four times less") {
  const double mha = 2048 * kv_bytes_per_token(1, 32, 128, 2.0);  // 2*32*128*2*2048 = 33,554,432
  const double gqa = 2048 * kv_bytes_per_token(1, 8, 128, 2.0);
  CHECK(mha == 33'554'432.0);
  CHECK(gqa == Approx(8.4e6).epsilon(0.01));
  CHECK(mha / gqa == 4.0);
}

TEST_CASE("Falcon-7B MQA: 2 * 32 layers * 1 head * 64 * 2 B = 8,192 B per token") {
  CHECK(kv_bytes_per_token(32, 1, 64, 2.0) == 8192.0);
}

TEST_CASE("A sliding window caps the cached tokens (Mistral 7B, Jiang et al. 2023)") {
  CHECK(cached_tokens(10000, 4096) == 4096);
  CHECK(cached_tokens(1000, 4096) == 1000);
  CHECK(cached_tokens(10000, 0) == 10000);
  CHECK(kv_cache_bytes(2, 10000, 4096, 100.0) == 2.0 * 4096 * 100.0);
}
