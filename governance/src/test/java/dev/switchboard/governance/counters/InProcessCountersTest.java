package dev.switchboard.governance.counters;

import org.junit.jupiter.api.BeforeEach;

/** The counter suite on the in-process implementation. */
class InProcessCountersTest extends CountersContract {

  @BeforeEach
  void create() {
    a = new InProcessCounters();
    b = a;
  }
}
