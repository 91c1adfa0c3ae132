package dev.switchboard.classifier.features;

import dev.switchboard.classifier.encoder.Encoded;
import dev.switchboard.classifier.ScoringInput;
import dev.switchboard.classifier.encoder.MiniLmEncoder;
import dev.switchboard.classifier.text.PromptText;
import java.util.function.Function;

/**
 * Input -> heads feature row, the one path shared by training and scoring:
 * {@link PromptText} view -> embedding of its {@code embedText} -> {@link PromptFeatures} ->
 * {@link FeatureSpec#vector}.
 */
public final class FeatureExtractor {

  private final FeatureSpec spec;
  private final Function<String, Encoded> embed;

  /** @param embed embeds a text (the encoder itself, or a cache in front of it) */
  public FeatureExtractor(FeatureSpec spec, Function<String, Encoded> embed) {
    this.spec = spec;
    this.embed = embed;
  }

  public FeatureSpec spec() {
    return spec;
  }

  public float[] features(ScoringInput input) {
    PromptText.View view = PromptText.of(input);
    Encoded e = embed.apply(view.embedText());
    return spec.vector(e.embedding(), PromptFeatures.compute(view, e.tokenCount()), input.category());
  }
}
