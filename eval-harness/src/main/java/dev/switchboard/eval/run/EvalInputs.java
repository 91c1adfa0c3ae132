package dev.switchboard.eval.run;

import dev.switchboard.dataset.RoutingRow;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.parquet.ParquetFiles.ParquetFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loading shared by {@code eval} and {@code tune}: dataset rows, classifier with its score cache. */
public final class EvalInputs implements AutoCloseable {
  public final Path datasetPath;
  public final String datasetSha256;
  public final List<RoutingRow> rows;
  public final ScoreCache scorer;
  private final AutoCloseable closeable;

  private EvalInputs(Path datasetPath, String sha, List<RoutingRow> rows, ScoreCache scorer, AutoCloseable closeable) {
    this.datasetPath = datasetPath;
    this.datasetSha256 = sha;
    this.rows = rows;
    this.scorer = scorer;
    this.closeable = closeable;
  }

  /** Reads the dataset and loads the classifier; problems become {@link EvalException}s. */
  public static EvalInputs open(Path dataset, Path classifierDir, Path cacheDir) {
    return open(List.of(dataset), classifierDir, cacheDir);
  }

  /**
   * Reads several datasets as one (their rows concatenated; their prompts must not overlap) and
   * loads the classifier. The sha256 of several files is the sha256 of their sha256s, in order.
   */
  public static EvalInputs open(List<Path> datasets, Path classifierDir, Path cacheDir) {
    for (Path dataset : datasets) {
      if (!Files.isRegularFile(dataset)) {
        throw new EvalException("dataset not found: " + dataset);
      }
    }
    String notAModel = dev.switchboard.classifier.ModelDirectory.problem(classifierDir);
    if (notAModel != null) {
      throw new EvalException(notAModel);
    }
    List<RoutingRow> rows = new java.util.ArrayList<>();
    List<String> shas = new java.util.ArrayList<>();
    for (Path dataset : datasets) {
      try {
        rows.addAll(RoutingDatasets.read(dataset));
        shas.add(ScoreCache.sha256(dataset));
      } catch (ParquetFileException e) {
        throw new EvalException(e.getMessage());
      } catch (IOException e) {
        throw new EvalException("cannot read " + dataset + ": " + e.getMessage());
      }
    }
    String sha = shas.size() == 1 ? shas.get(0) : dev.switchboard.classifier.base.Hashing.sha256Hex(String.join("\n", shas));
    ClassifierScorer classifier = ClassifierScorer.load(classifierDir);
    return new EvalInputs(datasets.get(0), sha, rows, ScoreCache.open(classifier, cacheDir), classifier);
  }

  /**
   * Scores the table (each prompt once; cached scores reused) with a progress bar on {@code err},
   * then persists new scores.
   */
  public Scored score(EvalTable t, PrintWriter err) {
    Scored s = Scored.score(t, scorer, new Progress(err, "scoring " + t.split, t.size()));
    try {
      scorer.save();
    } catch (IOException e) {
      err.println("warning: could not save the score cache " + scorer.file() + ": " + e.getMessage());
    }
    return s;
  }

  /**
   * Times the classifier on up to {@code max} of the table's prompts, one at a time (no score cache).
   *
   * @return the timing, or null for an empty table
   */
  public ScoringLatency scoringLatency(EvalTable t, int max) {
    return ScoringLatency.measure(t, (PromptScorer) closeable, max);
  }

  @Override
  public void close() {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing native sessions at exit; nothing useful to tell the user
    }
  }
}
