package dev.switchboard.classifier.learn;

/** The router's model families. The first three are the simple baselines every report shows. */
public enum Family {
  /** Per-category mean quality, shrunk toward the global mean (empirical Bayes). */
  PRIOR("prior", "Category prior", true),
  /** Mean quality of the k most similar training prompts (cosine on the embedding). */
  KNN("knn", "k-nearest neighbours", true),
  /** One logistic regression per candidate on the embedding and category one-hot. */
  LOGREG("logreg", "Logistic regression", true),
  /** A shared ReLU layer and a sigmoid output per candidate on every feature (the earlier heads). */
  MLP("mlp", "MLP heads", false),
  /** Item response theory: prompt difficulty and discrimination from features, an ability per candidate. */
  IRT("irt", "IRT head", false),
  /** A convex blend of the best member of each other family. */
  STACK("stack", "Stack", false);

  private final String id;
  private final String label;
  private final boolean baseline;

  Family(String id, String label, boolean baseline) {
    this.id = id;
    this.label = label;
    this.baseline = baseline;
  }

  /** The family's name in reports. */
  public String label() {
    return label;
  }

  public String id() {
    return id;
  }

  /** Whether reports show it as a simple baseline next to the router. */
  public boolean baseline() {
    return baseline;
  }

  public static Family fromId(String id) {
    for (Family f : values()) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown model family '" + id + "' (" + String.join(", ", java.util.Arrays.stream(values()).map(Family::id).toList()) + ")");
  }
}
