package dev.switchboard.eval.run;

import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.base.ScoringInput;
import dev.switchboard.classifier.encoder.Encoded;
import dev.switchboard.classifier.encoder.Encoder;
import dev.switchboard.classifier.encoder.Encoders;
import dev.switchboard.classifier.encoder.StaticEncoder;
import dev.switchboard.classifier.features.FeatureExtractor;
import dev.switchboard.classifier.features.FeatureSpec;
import dev.switchboard.classifier.features.PromptFeatures;
import dev.switchboard.classifier.learn.Data;
import dev.switchboard.classifier.learn.Family;
import dev.switchboard.classifier.learn.RouterTrainer;
import dev.switchboard.classifier.text.PromptText;
import dev.switchboard.classifier.train.EmbeddingCache;
import dev.switchboard.dataset.RoutingRow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The simple baselines every report shows beside the router, fitted here on the train split of the
 * evaluated dataset ("the user's own data") with the classifier's encoder and features: a
 * per-category prior (when the data has categories), k-nearest neighbours, logistic regression on
 * the embedding and category one-hot, and the MLP heads. Each family's setting is chosen by
 * 5-fold cross-validation on that train split, as {@code switchboard train} chooses the router's.
 */
public final class Baselines {

  /** The families reported as baseline rows, in report order. */
  public static final List<Family> FAMILIES = List.of(Family.PRIOR, Family.KNN, Family.LOGREG, Family.MLP);

  /** One fitted baseline and its scores on the evaluated split (table candidate order). */
  public record Baseline(String id, String name, Family family, String setting, double cvScore, Scored scored) {}

  private Baselines() {}

  public static List<Baseline> fit(List<RoutingRow> rows, String datasetName, EvalTable test, ClassifierCard card,
                                   Path cacheDir, long seed, PrintWriter err) {
    EvalTable train;
    try {
      train = EvalTable.build(rows, datasetName, "train", test.candidates);
    } catch (EvalException e) {
      err.println("baselines: no usable train split (" + e.getMessage() + "); the report has no baseline rows");
      return List.of();
    }
    if (train.size() < 20) {
      err.println("baselines: the train split has " + train.size() + " prompts (< 20); the report has no baseline rows");
      return List.of();
    }
    List<String> categories = new ArrayList<>(new TreeSet<>(java.util.Arrays.stream(train.category)
        .filter(c -> c != null && !c.isBlank()).toList()));
    err.println("baselines: fitting " + FAMILIES.stream().map(Family::id).toList() + " on " + train.size()
        + " train prompts of " + datasetName + " (encoder " + card.encoderId() + ")");
    try (Encoder encoder = Encoders.open(card.encoderId(), card.encoderSha256(), 1, err::println)) {
      FeatureSpec spec = new FeatureSpec(encoder.dim(), PromptFeatures.NAMES, categories, PromptText.RULE);
      EmbeddingCache cache = null;
      Function<String, Encoded> embed;
      if (encoder instanceof StaticEncoder se) {
        embed = se::encodeInJava;
      } else {
        cache = EmbeddingCache.open(EmbeddingCache.fileFor(cacheDir, encoder.sha256()), encoder.dim(), encoder::encode);
        embed = cache;
      }
      FeatureExtractor fx = new FeatureExtractor(spec, embed);
      int[] trainCols = new int[test.models()];
      for (int c = 0; c < trainCols.length; c++) {
        trainCols[c] = train.indexOf(test.candidates.get(c));
      }
      Data trainData = data(train, fx, trainCols, spec);
      int[] identity = new int[test.models()];
      for (int c = 0; c < identity.length; c++) {
        identity[c] = c;
      }
      float[][] testX = data(test, fx, identity, spec).x();
      if (cache != null) {
        cache.save();
      }
      RouterTrainer.Options o = RouterTrainer.Options.defaults(seed);
      List<Baseline> out = new ArrayList<>();
      for (Family f : FAMILIES) {
        RouterTrainer.Best b = RouterTrainer.best(f, trainData, o, line -> { });
        if (b == null) {
          continue;
        }
        double[][] p = b.fitted().predict(testX);
        double[] difficulty = new double[p.length];
        java.util.Arrays.fill(difficulty, Double.NaN);
        out.add(new Baseline("baseline:" + f.id(), f.label(), f, b.learner().name(), b.cvScore(), new Scored(p, difficulty)));
        err.println(String.format("baselines: %-8s %s (cv %.4f)", f.id(), b.learner().name(), b.cvScore()));
      }
      return out;
    } catch (ClassifierException e) {
      throw new EvalException("cannot fit the baselines: " + e.getMessage());
    }
  }

  private static Data data(EvalTable t, FeatureExtractor fx, int[] cols, FeatureSpec spec) {
    int n = t.size();
    float[][] x = new float[n][];
    double[][] q = new double[n][cols.length];
    double[][] cost = new double[n][cols.length];
    for (int p = 0; p < n; p++) {
      boolean conv = t.messagesJson[p] != null && !t.messagesJson[p].isBlank();
      ScoringInput in = conv ? ScoringInput.ofMessages(t.messagesJson[p], t.category[p])
          : ScoringInput.ofText(t.prompt[p] == null ? "" : t.prompt[p], t.category[p]);
      x[p] = fx.features(in);
      for (int c = 0; c < cols.length; c++) {
        q[p][c] = t.quality[p][cols[c]];
        cost[p][c] = t.cost[p][cols[c]];
      }
    }
    return new Data(x, q, cost, spec);
  }
}
