package dev.switchboard.router.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

  @TempDir Path dir;

  private static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> keys(List<SpooledRecord> rs) {
    return rs.stream().map(SpooledRecord::key).toList();
  }

  /** Each record below is 8 (header) + 2 + 2 (key) + 100 (value) = 112 bytes. */
  private static final byte[] HUNDRED = new byte[100];

  @Test
  void recordsComeBackInOrderAcrossSegmentsAndCommitDeletesDeliveredSegments() throws IOException {
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 300, SpoolFullPolicy.REFUSE_NEW)) {
      for (int i = 0; i < 7; i++) {
        assertTrue(spool.append("k" + i, HUNDRED));
      }
      assertEquals(7, spool.pendingRecords());
      assertEquals(4, segmentFiles(), "2 records of 112 bytes per 300-byte segment");
      List<SpooledRecord> first = spool.peek(3);
      assertEquals(List.of("k0", "k1", "k2"), keys(first));
      assertEquals(List.of("k0", "k1", "k2"), keys(spool.peek(3)), "peek does not consume");
      spool.commit(first.get(2).next());
      assertEquals(4, spool.pendingRecords());
      assertEquals(List.of("k3", "k4", "k5", "k6"), keys(spool.peek(10)));
      assertEquals(3, segmentFiles(), "the fully delivered first segment is deleted");
      spool.commit(spool.peek(10).get(3).next());
      assertTrue(spool.isEmpty());
    }
  }

  /**
   * Records with a record id and records written the old way (no id: a spool left by a version
   * before record ids) live side by side and read back as written, also after reopening.
   */
  @Test
  void recordIdsRoundTripAndRecordsWithoutOneStillRead() {
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 1_000, SpoolFullPolicy.REFUSE_NEW)) {
      assertTrue(spool.append("legacy", v("old")));
      assertTrue(spool.append("same", "0191a2b3c4d57e6f8a9b0c1d2e3f4a5b", v("new-1")));
      assertTrue(spool.append("same", "0191a2b3c4d57e6f8a9b0c1d2e3f4a5c", v("new-2")));
    }
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 1_000, SpoolFullPolicy.REFUSE_NEW)) {
      List<SpooledRecord> rs = spool.peek(10);
      assertEquals(List.of("legacy", "same", "same"), keys(rs));
      assertEquals(java.util.Arrays.asList(null, "0191a2b3c4d57e6f8a9b0c1d2e3f4a5b", "0191a2b3c4d57e6f8a9b0c1d2e3f4a5c"),
          rs.stream().map(SpooledRecord::recordId).toList());
      assertEquals(List.of("old", "new-1", "new-2"), rs.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
      assertEquals(3, spool.pendingRecords());
    }
  }

  @Test
  void reopeningResumesFromTheCommittedPosition() {
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 1_000, SpoolFullPolicy.REFUSE_NEW)) {
      spool.append("a", v("1"));
      spool.append("b", v("2"));
      spool.append("c", v("3"));
      spool.commit(spool.peek(1).get(0).next());
    }
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 1_000, SpoolFullPolicy.REFUSE_NEW)) {
      List<SpooledRecord> rs = spool.peek(10);
      assertEquals(List.of("b", "c"), keys(rs));
      assertEquals("2", new String(rs.get(0).value(), StandardCharsets.UTF_8));
      spool.append("d", v("4"));
      assertEquals(List.of("b", "c", "d"), keys(spool.peek(10)));
    }
  }

  @Test
  void aTornWriteAtTheEndIsCutOffOnOpen() throws IOException {
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 1_000, SpoolFullPolicy.REFUSE_NEW)) {
      spool.append("a", v("first"));
      spool.append("b", v("second"));
    }
    Path seg = onlySegment();
    long size = Files.size(seg);
    // Simulate a crash in the middle of writing a third record: a header promising 50 bytes, 3 written.
    Files.write(seg, new byte[] {0, 0, 0, 50, 1, 2, 3, 4, 9, 9, 9}, StandardOpenOption.APPEND);
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 1_000, SpoolFullPolicy.REFUSE_NEW)) {
      assertEquals(List.of("a", "b"), keys(spool.peek(10)));
      assertEquals(size, Files.size(seg), "the torn bytes are truncated");
      spool.append("c", v("third"));
      assertEquals(List.of("a", "b", "c"), keys(spool.peek(10)));
    }
  }

  @Test
  void aCorruptRecordIsDetectedByItsCrc() throws IOException {
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 1_000, SpoolFullPolicy.REFUSE_NEW)) {
      spool.append("a", v("first"));
      spool.append("b", v("second"));
    }
    Path seg = onlySegment();
    byte[] bytes = Files.readAllBytes(seg);
    bytes[bytes.length - 1] ^= 0x55; // flip bits in the last record's value
    Files.write(seg, bytes);
    try (DiskSpool spool = new DiskSpool(dir, 10_000, 1_000, SpoolFullPolicy.REFUSE_NEW)) {
      assertEquals(List.of("a"), keys(spool.peek(10)));
      assertEquals(1, spool.corruptRecords());
    }
  }

  @Test
  void refuseNewKeepsTheOldestAndCountsRefusals() {
    try (DiskSpool spool = new DiskSpool(dir, 500, 250, SpoolFullPolicy.REFUSE_NEW)) {
      int accepted = 0;
      for (int i = 0; i < 10; i++) {
        if (spool.append("k" + i, HUNDRED)) {
          accepted++;
        }
      }
      assertEquals(4, accepted, "4 x 112 bytes fit in 500");
      assertEquals(6, spool.refusedRecords());
      assertEquals(0, spool.droppedRecords());
      assertEquals(List.of("k0", "k1", "k2", "k3"), keys(spool.peek(10)));
      assertTrue(spool.totalBytes() <= 500);
    }
  }

  @Test
  void dropOldestMakesRoomByDeletingTheOldestSegment() {
    try (DiskSpool spool = new DiskSpool(dir, 500, 250, SpoolFullPolicy.DROP_OLDEST)) {
      for (int i = 0; i < 10; i++) {
        assertTrue(spool.append("k" + i, HUNDRED));
      }
      assertEquals(0, spool.refusedRecords());
      assertTrue(spool.totalBytes() <= 500);
      List<String> left = keys(spool.peek(100));
      assertEquals("k9", left.get(left.size() - 1), "the newest is kept");
      assertEquals(10, left.size() + spool.droppedRecords(), "every record is either kept or counted dropped");
      assertFalse(left.contains("k0"));
    }
  }

  @Test
  void aRecordLargerThanTheWholeSpoolIsRefused() {
    try (DiskSpool spool = new DiskSpool(dir, 300, 300, SpoolFullPolicy.DROP_OLDEST)) {
      assertFalse(spool.append("big", new byte[400]));
      assertEquals(1, spool.refusedRecords());
      assertTrue(spool.isEmpty());
    }
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg")).count();
    }
  }

  private Path onlySegment() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> segs = s.filter(p -> p.getFileName().toString().endsWith(".seg")).toList();
      assertEquals(1, segs.size());
      return segs.get(0);
    }
  }
}
