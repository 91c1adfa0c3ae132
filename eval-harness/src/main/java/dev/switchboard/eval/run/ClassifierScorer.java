package dev.switchboard.eval.run;

import dev.switchboard.classifier.Classifier;
import dev.switchboard.classifier.ClassifierCard;
import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.ClassifierOptions;
import dev.switchboard.classifier.Scores;
import dev.switchboard.classifier.base.ScoringInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PromptScorer} over the real {@link Classifier} (the same one the live router loads). The
 * card is read and the ONNX file's hash checked up front; the encoder and heads are loaded only when
 * a prompt actually needs scoring, so a run served entirely from the {@link ScoreCache} starts fast.
 */
final class ClassifierScorer implements PromptScorer, AutoCloseable {
  private final Path dir;
  private final ClassifierCard card;
  private Classifier classifier;

  private ClassifierScorer(Path dir, ClassifierCard card) {
    this.dir = dir;
    this.card = card;
  }

  /** Opens {@code modelDir}; a bad directory becomes an {@link EvalException} with the classifier's message. */
  public static ClassifierScorer load(Path modelDir) {
    try {
      ClassifierCard card = ClassifierCard.read(modelDir);
      Path onnx = modelDir.resolve(ClassifierCard.ONNX_FILE);
      String sha = dev.switchboard.classifier.base.Hashing.sha256Hex(onnx);
      if (!sha.equals(card.onnxSha256())) {
        throw new EvalException("cannot load classifier " + modelDir + ": " + onnx + " has sha256 " + sha
            + " but the card says " + card.onnxSha256());
      }
      return new ClassifierScorer(modelDir, card);
    } catch (ClassifierException e) {
      throw new EvalException("cannot load classifier " + modelDir + ": " + e.getMessage());
    } catch (java.io.IOException e) {
      throw new EvalException("cannot load classifier " + modelDir + ": " + e.getMessage());
    }
  }

  private Classifier classifier() {
    if (classifier == null) {
      try {
        // No in-memory cache: the harness scores each prompt once and keeps its own score cache.
        classifier = Classifier.load(dir, new ClassifierOptions(1, 0));
      } catch (ClassifierException e) {
        throw new EvalException("cannot load classifier " + dir + ": " + e.getMessage());
      }
    }
    return classifier;
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public String sha256() {
    return card.onnxSha256();
  }

  @Override
  public List<String> candidates() {
    return card.candidateNames();
  }

  @Override
  public Map<String, double[]> prices() {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (ClassifierCard.Candidate c : card.candidates()) {
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
      scores = classifier().scoreBatch(in);
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
    if (classifier != null) {
      classifier.close();
    }
  }
}
