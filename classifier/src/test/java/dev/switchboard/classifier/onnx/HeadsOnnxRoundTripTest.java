package dev.switchboard.classifier.onnx;

import dev.switchboard.classifier.heads.HeadsOnnx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.classifier.base.ClassifierException;
import dev.switchboard.classifier.heads.HeadsModel;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadsOnnxRoundTripTest {

  static HeadsModel randomModel(int d, int hidden, int outputs, long seed) {
    Random r = new Random(seed);
    int last = hidden == 0 ? d : hidden;
    float[] mean = rnd(r, d, 1);
    float[] std = new float[d];
    for (int i = 0; i < d; i++) {
      std[i] = 0.5f + r.nextFloat();
    }
    return new HeadsModel(d, hidden, outputs, mean, std, rnd(r, hidden == 0 ? 0 : d * hidden, 0.3),
        rnd(r, hidden, 0.3), rnd(r, last * outputs, 0.3), rnd(r, outputs, 0.3));
  }

  static float[] rnd(Random r, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * scale);
    }
    return a;
  }

  void assertRoundTrip(HeadsModel m) {
    byte[] onnx = HeadsOnnx.export(m, Map.of("k", "v"));
    Random r = new Random(7);
    float[][] x = new float[17][];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd(r, m.inputDim(), 2);
    }
    try (HeadsRunner runner = HeadsRunner.load(onnx, "test.onnx", m.inputDim(), 1)) {
      assertEquals(m.outputs() - 1, runner.qualityWidth());
      HeadsRunner.Output out = runner.run(x);
      double maxDiff = 0;
      for (int i = 0; i < x.length; i++) {
        double[] ref = m.forward(x[i]);
        maxDiff = Math.max(maxDiff, Math.abs(ref[0] - out.difficulty()[i]));
        for (int k = 0; k < ref.length - 1; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(ref[k + 1] - out.quality()[i][k]));
        }
      }
      assertTrue(maxDiff <= 1e-5, "ONNX vs Java max abs diff " + maxDiff);
      // The outputs are not degenerate (a constant graph would also "match" a constant forward).
      double[] ds = out.difficulty().clone();
      Arrays.sort(ds);
      assertTrue(ds[ds.length - 1] - ds[0] > 0.05, "difficulty varies with the input");
    }
  }

  @Test
  void mlpHeadsMatchJavaForwardPass() {
    assertRoundTrip(randomModel(404, 32, 5, 1));
  }

  @Test
  void logisticHeadsMatchJavaForwardPass() {
    assertRoundTrip(randomModel(50, 0, 3, 2));
  }

  @Test
  void corruptBytesGiveClassifierException() {
    byte[] onnx = HeadsOnnx.export(randomModel(10, 4, 3, 3), Map.of());
    byte[] cut = Arrays.copyOf(onnx, onnx.length / 2);
    ClassifierException e = assertThrows(ClassifierException.class, () -> HeadsRunner.load(cut, "broken.onnx", 10, 1));
    assertTrue(e.getMessage().contains("broken.onnx"), e.getMessage());
  }

  @Test
  void wrongInputWidthGivesClassifierException() {
    byte[] onnx = HeadsOnnx.export(randomModel(10, 4, 3, 3), Map.of());
    ClassifierException e = assertThrows(ClassifierException.class, () -> HeadsRunner.load(onnx, "w.onnx", 12, 1));
    assertTrue(e.getMessage().contains("w.onnx"), e.getMessage());
  }
}
