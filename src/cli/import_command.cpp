// `infersim import-hf CONFIG.json [-o FILE] [--name NAME]`: a Hugging Face config.json -> model YAML.
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "io/hf/hf_import.hpp"
#include "io/output/atomic_file.hpp"

namespace infersim {

namespace {

struct ImportOptions {
  std::string config;
  std::string output;
  std::string name;
};

int run_import(const ImportOptions& o) {
  // Without --name, -o's file name names the model (it is the name `-m` will take).
  std::string name = o.name;
  if (name.empty() && !o.output.empty() && o.output != "-")
    name = std::filesystem::path(o.output).stem().string();
  const std::string yaml = import_hf_config_file(o.config, name);
  if (o.output.empty()) {
    std::cout << yaml << std::flush;
    return 0;
  }
  write_file_atomically(o.output, yaml, {o.config});  // refuses to overwrite the config.json it reads
  return 0;
}

}  // namespace

void add_import_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* sub = app.add_subcommand("import-hf", "Convert a Hugging Face config.json into a model YAML");
  sub->footer(
      "Families: Llama, Mistral, Mixtral, Qwen2, Qwen2-MoE, DeepSeek-V2/V3, Falcon, GPT-NeoX.\n"
      "Example:\n"
      "  infersim import-hf ~/models/Qwen2-7B/config.json -o model_configs/qwen2-7b.yaml");
  sub->add_option("config", o->config, "the model's config.json")->type_name("FILE")->required();
  sub->add_option("-o,--output", o->output,
                  "YAML file, written whole or not at all (default: standard output)")
      ->type_name("FILE");
  sub->add_option(
         "--name", o->name,
         "name in the description (default: -o's file name, else the config's file or directory name)")
      ->type_name("NAME");
  sub->callback([o, &action] { action = [o](const SearchPath&) { return run_import(*o); }; });
}

}  // namespace infersim
