package dev.switchboard.eval.run;

import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.ClassifierException;
import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.classifier.Scores;
import dev.switchboard.classifier.ScoringInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link PromptScorer} over the real {@link Classifier} (the same one the live router loads). */
public final class ClassifierScorer implements PromptScorer, AutoCloseable {
  private final Path dir;
  private final Classifier classifier;

  private ClassifierScorer(Path dir, Classifier classifier) {
    this.dir = dir;
    this.classifier = classifier;
  }

  /** Loads {@code modelDir}; a bad directory becomes an {@link EvalException} with the classifier's message. */
  public static ClassifierScorer load(Path modelDir) {
    try {
      // No in-memory cache: the harness scores each prompt once and keeps its own score cache.
      return new ClassifierScorer(modelDir, Classifier.load(modelDir, new ClassifierOptions(1, 0)));
    } catch (ClassifierException e) {
      throw new EvalException("cannot load classifier " + modelDir + ": " + e.getMessage());
    }
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public String sha256() {
    return classifier.card().onnxSha256();
  }

  @Override
  public List<String> candidates() {
    return classifier.card().candidateNames();
  }

  @Override
  public Map<String, double[]> prices() {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (ClassifierCard.Candidate c : classifier.card().candidates()) {
      if (c.inputUsdPerMtok() != null && c.outputUsdPerMtok() != null) {
        out.put(c.model(), new double[] {c.inputUsdPerMtok(), c.outputUsdPerMtok()});
      }
    }
    return out;
  }

  @Override
  public List<PromptScore> scoreBatch(List<PromptInput> batch) {
    List<ScoringInput> in = new ArrayList<>(batch.size());
    for (PromptInput p : batch) {
      in.add(p.messagesJson() != null
          ? ScoringInput.ofMessages(p.messagesJson(), p.category())
          : ScoringInput.ofText(p.text(), p.category()));
    }
    List<Scores> scores;
    try {
      scores = classifier.scoreBatch(in);
    } catch (ClassifierException e) {
      throw new EvalException("classifier " + dir + " failed: " + e.getMessage());
    }
    List<PromptScore> out = new ArrayList<>(scores.size());
    for (Scores s : scores) {
      out.add(new PromptScore(s.difficulty(), s.quality()));
    }
    return out;
  }

  @Override
  public void close() {
    classifier.close();
  }
}
