package dev.switchboard.classifier.features;

import dev.switchboard.classifier.encoder.Encoded;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.classifier.text.PromptText;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Input -> heads feature row, the one path shared by training and scoring:
 * {@link PromptText} view -> embedding of its {@code embedText} -> {@link PromptFeatures} ->
 * {@link FeatureSpec#vector}.
 */
public final class FeatureExtractor {

  private final FeatureSpec spec;
  private final Function<String, Encoded> embed;
  private final Function<List<String>, List<Encoded>> embedBatch;

  /** @param embed embeds a text (the encoder itself, or a cache in front of it) */
  public FeatureExtractor(FeatureSpec spec, Function<String, Encoded> embed) {
    this(spec, embed, texts -> texts.stream().map(embed).toList());
  }

  /** @param embedBatch embeds several texts in one go, as {@code embed} would one by one */
  public FeatureExtractor(FeatureSpec spec, Function<String, Encoded> embed, Function<List<String>, List<Encoded>> embedBatch) {
    this.spec = spec;
    this.embed = embed;
    this.embedBatch = embedBatch;
  }

  public FeatureSpec spec() {
    return spec;
  }

  public float[] features(ScoringInput input) {
    PromptText.View view = PromptText.of(input);
    Encoded e = embed.apply(view.embedText());
    return spec.vector(e.embedding(), PromptFeatures.compute(view, e.tokenCount()), input.category());
  }

  /**
   * The rows of several inputs, their texts embedded in one go. {@code views.get(i)} is
   * {@code PromptText.of(inputs.get(i))} (made by the caller, which names the input that fails).
   */
  public List<float[]> features(List<ScoringInput> inputs, List<PromptText.View> views) {
    List<Encoded> encoded = embedBatch.apply(views.stream().map(PromptText.View::embedText).toList());
    List<float[]> rows = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      Encoded e = encoded.get(i);
      rows.add(spec.vector(e.embedding(), PromptFeatures.compute(views.get(i), e.tokenCount()), inputs.get(i).category()));
    }
    return rows;
  }
}
