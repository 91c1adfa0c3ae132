package dev.switchboard.dataset.importer;

import dev.switchboard.dataset.ModelPrices;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Settings of one import.
 *
 * @param inputs JSONL files, plain or gzip (detected from the content, not the name)
 * @param prices price table used when a row carries neither a cost nor its own prices; may be null
 * @param testFraction share of prompts assigned to {@code test} when a row has no split
 * @param validationFraction share of prompts assigned to {@code validation}
 * @param seed mixed into the split hash; the same seed gives the same split on every run
 * @param excludeModels models dropped on purpose, matched against both the source name ({@code
 *     model}) and the canonical name ({@code model_id})
 * @param categoryField the JSON field copied into {@code category} ({@code category} by default)
 * @param sourceName value of the {@code source} column; null means the row's {@code source} or
 *     {@code dataset} field, else the input file's name
 * @param estimateInputTokens when a row has no input token count, estimate one ({@link TokenEstimate})
 * @param assumeOutputTokens when a row has no output token count, use this many; null means reject
 * @param maxExamples how many line numbers to keep per rejection reason
 */
public record ImportOptions(
    List<Path> inputs,
    ModelPrices prices,
    double testFraction,
    double validationFraction,
    long seed,
    Set<String> excludeModels,
    String categoryField,
    String sourceName,
    boolean estimateInputTokens,
    Long assumeOutputTokens,
    int maxExamples) {

  public ImportOptions {
    inputs = List.copyOf(inputs);
    excludeModels = Set.copyOf(excludeModels);
    if (categoryField == null || categoryField.isBlank()) {
      categoryField = "category";
    }
    if (!(testFraction >= 0 && validationFraction >= 0 && testFraction + validationFraction <= 1.0)) {
      throw new IllegalArgumentException(
          "--test-fraction and --validation-fraction must be >= 0 and sum to at most 1 (got "
              + testFraction + " and " + validationFraction + ")");
    }
    if (assumeOutputTokens != null && assumeOutputTokens < 0) {
      throw new IllegalArgumentException("--assume-output-tokens must be >= 0");
    }
  }

  /** Defaults of the CLI: 20% test, 10% validation, seed 42, nothing excluded. */
  public static ImportOptions defaults(List<Path> inputs) {
    return new ImportOptions(inputs, null, 0.2, 0.1, 42, Set.of(), null, null, false, null, 10);
  }
}
