package dev.switchboard.dataset.importer;

/** Why an input row did not make it into the dataset. */
public enum RejectReason {
  BAD_JSON("not a JSON object"),
  MISSING_PROMPT_ID("no prompt_id"),
  MISSING_MODEL("no model_id or model"),
  MISSING_PROMPT("no prompt (and no messages with a user turn)"),
  BAD_MESSAGES("messages is not a JSON array"),
  QUALITY_MISSING("quality is missing or null"),
  QUALITY_NOT_A_NUMBER("quality is not a number"),
  QUALITY_OUT_OF_RANGE("quality outside [0,1]"),
  MISSING_TOKENS("no token count (input_tokens/prompt_tokens_cl100k or output_tokens/response_tokens_cl100k);"
      + " see --estimate-input-tokens / --assume-output-tokens"),
  BAD_NUMBER("a token count, cost or price is negative or not a number"),
  NO_COST_NO_PRICE("no cost_usd/est_cost_usd and no price for the model (row prices or --prices)"),
  BAD_SPLIT("split is not train/validation/test"),
  SPLIT_CONFLICT("split differs from another row of the same prompt_id"),
  PROMPT_MISMATCH("prompt text differs from another row of the same prompt_id"),
  DUPLICATE("same prompt_id and model as an earlier row");

  private final String description;

  RejectReason(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
