package dev.switchboard.classifier.learn;

import dev.switchboard.classifier.heads.Example;
import dev.switchboard.classifier.heads.HeadsModel;
import dev.switchboard.classifier.heads.HeadsTrainer;
import dev.switchboard.classifier.heads.TrainConfig;
import dev.switchboard.classifier.heads.HeadsOnnx;
import dev.switchboard.classifier.onnx.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The earlier heads as a member: standardise, a shared ReLU layer, a sigmoid per candidate
 * ({@link HeadsTrainer}, mini-batch Adam with early stopping). Early stopping needs held-out rows:
 * every tenth row of the fitting data is held out for it (by position, so it is deterministic).
 * The heads' auxiliary difficulty output is trained on "the dearest candidate beats every cheaper
 * one" and not used for routing.
 *
 * @param config hidden width, penalty, optimiser settings
 */
public record Mlp(TrainConfig config) implements Learner {

  @Override
  public Family family() {
    return Family.MLP;
  }

  @Override
  public String name() {
    return "mlp(hidden=" + config.hidden() + ", l2=" + Fmt.num(config.l2()) + ")";
  }

  @Override
  public Fitted fit(Data d, long seed) {
    List<Example> train = new ArrayList<>();
    List<Example> stop = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      double[] q = d.q()[i];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < q.length - 1; j++) {
        max = Math.max(max, q[j]);
      }
      Example e = new Example(d.x()[i], q[q.length - 1] > max ? 1 : 0, q);
      (i % 10 == 9 ? stop : train).add(e);
    }
    if (stop.isEmpty()) {
      stop.add(train.get(train.size() - 1));
    }
    TrainConfig c = new TrainConfig(config.hidden(), config.l2(), config.learningRate(), config.batchSize(),
        config.maxEpochs(), config.patience(), seed, config.qualityWeight());
    HeadsTrainer.Result r = HeadsTrainer.train(train, stop, c, e -> { });
    return new Heads(r.model(), r.bestEpoch(), config);
  }

  /** The fitted heads. */
  record Heads(HeadsModel model, int bestEpoch, TrainConfig config) implements Fitted {
    @Override
    public double[][] predict(float[][] x) {
      int k = model.outputs() - 1;
      double[][] out = new double[x.length][k];
      for (int i = 0; i < x.length; i++) {
        System.arraycopy(model.forward(x[i]), 1, out[i], 0, k);
      }
      return out;
    }

    @Override
    public String export(OnnxGraphBuilder g, String features, String prefix) {
      return HeadsOnnx.addTo(g, model, features, prefix).quality();
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("hidden", config.hidden(), "l2", config.l2(), "learning_rate", config.learningRate(),
          "batch_size", config.batchSize(), "best_epoch", bestEpoch);
    }
  }
}
