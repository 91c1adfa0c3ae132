package dev.switchboard.eval.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.routing.Policy;
import org.junit.jupiter.api.Test;

/** The keep rule for a retrained pair (the retune command's tests: switchboard-cli, {@code LoopCommandsTest}). */
class RetuneTest {

  /** The keep rule of a retrained pair on its held-out part: the verdict's "worse on both axes", and the target. */
  @Test
  void aRetrainedPairIsKeptOnlyIfNotWorseAndWithinTheTarget() {
    java.util.function.BiFunction<Double, Double, Retune.Point> pt = (q, cost) -> new Retune.Point(10, q, q / 0.5, cost, java.util.Map.of());
    Retune.Point live = pt.apply(0.46, 0.010); // 92% of the best model's quality
    // cheaper and no worse: kept
    assertEquals(null, Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.47, 0.008), "m", 0.5), Policy.Target.quality(0.9)));
    // dearer and worse: rejected by the verdict's rule
    assertTrue(Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.45, 0.011), "m", 0.5), Policy.Target.quality(0.9))
        .contains("worse on both axes"));
    // cheaper at lower quality but still above the 90% target: a trade, kept
    assertEquals(null, Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.455, 0.006), "m", 0.5), Policy.Target.quality(0.9)));
    // cheaper at a quality below the target (and below live): rejected
    assertTrue(Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.30, 0.001), "m", 0.5), Policy.Target.quality(0.9))
        .contains("below the target 90.0%"));
    // a live pair already below the target: the new one may not fall below the live one
    Retune.Point weakLive = pt.apply(0.40, 0.010);
    assertEquals(null, Retune.rejection(new Retune.Part("held-out", weakLive, pt.apply(0.40, 0.009), "m", 0.5), Policy.Target.quality(0.9)));
    assertTrue(Retune.rejection(new Retune.Part("held-out", weakLive, pt.apply(0.39, 0.005), "m", 0.5), Policy.Target.quality(0.9)) != null);
    // cost target: better quality bought above the budget and above live's cost is rejected
    assertTrue(Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.49, 0.02), "m", 0.5), Policy.Target.cost(0.012))
        .contains("above the target"));
    assertEquals(null, Retune.rejection(new Retune.Part("held-out", live, pt.apply(0.49, 0.011), "m", 0.5), Policy.Target.cost(0.012)));
  }
}
