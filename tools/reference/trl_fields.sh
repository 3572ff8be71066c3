#!/usr/bin/env bash
# Writes apps/cli/fixtures/trl_fields.json: the field names that TRL's `trl/scripts/dpo.py` accepts in its
# --config YAML at a pinned TRL version (DPOConfig's own fields, ScriptArguments, ModelConfig), read from a
# git clone of huggingface/trl, plus the transformers TrainingArguments fields that `wpo export trl` writes
# (DPOConfig inherits them; transformers 4.56-4.57, which TRL 0.28 supports, has each of them).
# Usage: bash tools/reference/trl_fields.sh PATH/TO/trl.git [v0.28.0]
set -euo pipefail
repo=$1
tag=${2:-v0.28.0}
fields() { git -C "$repo" show "$tag:$1" | awk -v cls="$2" '
  /^class / { on = ($0 ~ "^class " cls "[(:]") }
  on && /^    [a-z_0-9]+: / { sub(/^    /, ""); sub(/:.*/, ""); print }'; }
json() { sed 's/.*/"&"/' | paste -sd, | sed 's/,/, /g'; }
out=apps/cli/fixtures/trl_fields.json
{
  echo "{"
  echo "  \"trl_version\": \"${tag#v}\","
  echo "  \"DPOConfig\": [$(fields trl/trainer/dpo_config.py DPOConfig | json)],"
  echo "  \"ScriptArguments\": [$(fields trl/scripts/utils.py ScriptArguments | json)],"
  echo "  \"ModelConfig\": [$(fields trl/trainer/model_config.py ModelConfig | json)],"
  echo "  \"TrainingArguments\": [$(printf '%s\n' output_dir per_device_train_batch_size per_device_eval_batch_size \
    gradient_accumulation_steps learning_rate weight_decay adam_beta1 adam_beta2 adam_epsilon max_grad_norm \
    num_train_epochs max_steps lr_scheduler_type warmup_ratio warmup_steps logging_steps eval_strategy eval_steps \
    eval_on_start save_strategy save_steps seed bf16 gradient_checkpointing report_to | json)]"
  echo "}"
} >"$out"
echo "wrote $out"
