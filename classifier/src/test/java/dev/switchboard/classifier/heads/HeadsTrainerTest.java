package dev.switchboard.classifier.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadsTrainerTest {

  /** Synthetic task: difficulty = 1 iff x0 + x1 > 0; quality of model j falls with x0. */
  static List<Example> data(int n, long seed) {
    Random r = new Random(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[8];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) (r.nextGaussian() * 3 + 5);
      }
      double y = (x[0] - 5) + (x[1] - 5) > 0 ? 1 : 0;
      double q1 = 1 / (1 + Math.exp((x[0] - 5)));
      out.add(new Example(x, y, new double[] {q1, 0.5}));
    }
    return out;
  }

  @Test
  void learnsSeparableTaskAndIsDeterministic() {
    List<Example> train = data(400, 1);
    List<Example> val = data(100, 2);
    TrainConfig cfg = new TrainConfig(16, 1e-3, 1e-2, 32, 60, 10, 42, 1.0);
    List<HeadsTrainer.EpochLog> logs = new ArrayList<>();
    HeadsTrainer.Result a = HeadsTrainer.train(train, val, cfg, logs::add);
    HeadsTrainer.Result b = HeadsTrainer.train(train, val, cfg, l -> {});
    assertFalse(logs.isEmpty());
    assertArrayEquals(a.model().w1(), b.model().w1());
    assertArrayEquals(a.model().w2(), b.model().w2());
    assertArrayEquals(a.model().b2(), b.model().b2());

    int correct = 0;
    for (Example e : data(200, 3)) {
      double[] o = a.model().forward(e.x());
      correct += (o[0] > 0.5) == (e.difficulty() > 0.5) ? 1 : 0;
      assertEquals(0.5, o[2], 0.1, "constant-quality model is predicted near its constant");
    }
    assertTrue(correct > 180, "accuracy on held-out data: " + correct + "/200");
    assertTrue(logs.get(logs.size() - 1).valLoss() < logs.get(0).valLoss() || a.bestEpoch() == 1);

    HeadsTrainer.Result c = HeadsTrainer.train(train, val, new TrainConfig(16, 1e-3, 1e-2, 32, 60, 10, 43, 1.0), l -> {});
    assertFalse(java.util.Arrays.equals(a.model().w1(), c.model().w1()), "another seed gives other weights");
  }
}
