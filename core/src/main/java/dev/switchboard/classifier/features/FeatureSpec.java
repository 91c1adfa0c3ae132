package dev.switchboard.classifier.features;

import java.util.List;

/**
 * Layout of the heads' input vector: {@code [embedding (embeddingDim) | cheap features
 * (cheapFeatures) | category one-hot (categories)]}. An unknown or missing category is all
 * zeros, i.e. "no per-category prior".
 *
 * @param embeddingDim encoder output width (384 for MiniLM)
 * @param cheapFeatures names of {@link PromptFeatures} in order
 * @param categories categories seen in training, in one-hot order
 * @param embeddingRule the {@link dev.switchboard.classifier.text.PromptText#RULE} in force
 */
public record FeatureSpec(int embeddingDim, List<String> cheapFeatures, List<String> categories, String embeddingRule) {

  public FeatureSpec {
    cheapFeatures = List.copyOf(cheapFeatures);
    categories = List.copyOf(categories);
  }

  public int width() {
    return embeddingDim + cheapFeatures.size() + categories.size();
  }

  /** Assembles one input row; {@code category} may be null or unseen. */
  public float[] vector(float[] embedding, double[] cheap, String category) {
    if (embedding.length != embeddingDim || cheap.length != cheapFeatures.size()) {
      throw new IllegalArgumentException("feature parts have widths " + embedding.length + "/" + cheap.length
          + ", spec expects " + embeddingDim + "/" + cheapFeatures.size());
    }
    float[] v = new float[width()];
    System.arraycopy(embedding, 0, v, 0, embeddingDim);
    for (int i = 0; i < cheap.length; i++) {
      v[embeddingDim + i] = (float) cheap[i];
    }
    int c = category == null ? -1 : categories.indexOf(category);
    if (c >= 0) {
      v[embeddingDim + cheap.length + c] = 1f;
    }
    return v;
  }

  /** Names of all input columns, for the card. */
  public List<String> columnNames() {
    var names = new java.util.ArrayList<String>(width());
    for (int i = 0; i < embeddingDim; i++) {
      names.add("emb_" + i);
    }
    names.addAll(cheapFeatures);
    for (String c : categories) {
      names.add("category=" + c);
    }
    return names;
  }
}
