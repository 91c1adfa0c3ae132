package dev.switchboard.dataset.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Local Parquet read/write of {@link Group} rows: ZSTD, dictionary encoding, no Hadoop cluster.
 * Both the routing datasets and the recorded answers go through here so their files are
 * written the same way.
 */
public final class ParquetFiles {

  /** Big enough that repeated prompt texts stay dictionary-encoded (the default 1 MiB is not). */
  private static final int DICTIONARY_PAGE_BYTES = 8 * 1024 * 1024;

  /** ZSTD level 9: the shipped answers file is 9% smaller than at the default level 3; writes are one-off. */
  private static final String ZSTD_LEVEL = "9";

  private ParquetFiles() {}

  /**
   * Writes {@code rows} to {@code file}, replacing it. Writes to a sibling temp file first and
   * moves it in place so a crash never leaves a half-written dataset behind.
   */
  public static <T> void write(
      Path file, MessageType schema, List<T> rows, RowWriter<T> writer, Map<String, String> metadata) {
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
      }
      Files.deleteIfExists(tmp);
      SimpleGroupFactory groups = new SimpleGroupFactory(schema);
      try (ParquetWriter<Group> out =
          ExampleParquetWriter.builder(new LocalOutputFile(tmp))
              .withConf(writeConf())
              .withType(schema)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .withCompressionCodec(CompressionCodecName.ZSTD)
              .withDictionaryEncoding(true)
              .withDictionaryPageSize(DICTIONARY_PAGE_BYTES)
              .withExtraMetaData(metadata)
              .build()) {
        for (T row : rows) {
          Group g = groups.newGroup();
          writer.write(row, g);
          out.write(g);
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: the write error below is the one worth reporting
      }
      throw new ParquetFileException("Cannot write Parquet file " + file + ": " + describe(e), e);
    }
  }

  /** Reads every row of {@code file}, mapping each through {@code mapper}. */
  public static <T> List<T> read(Path file, Function<Group, T> mapper) {
    if (!Files.isRegularFile(file)) {
      throw new ParquetFileException("Parquet file not found: " + file, null);
    }
    List<T> rows = new ArrayList<>();
    try (ParquetReader<Group> in = new GroupReaderBuilder(new LocalInputFile(file)).withConf(minimalConf()).build()) {
      for (Group g = in.read(); g != null; g = in.read()) {
        rows.add(mapper.apply(g));
      }
    } catch (IOException | RuntimeException e) {
      throw new ParquetFileException(
          "Cannot read Parquet file " + file + " (missing, corrupt or not the expected schema): " + describe(e), e);
    }
    return rows;
  }

  /** How to fill one Parquet group from a row. */
  @FunctionalInterface
  public interface RowWriter<T> {
    void write(T row, Group group);
  }

  /** A Hadoop configuration that does not load *-site.xml files from the classpath. */
  private static Configuration minimalConf() {
    return new Configuration(false);
  }

  private static Configuration writeConf() {
    Configuration c = minimalConf();
    c.set("parquet.compression.codec.zstd.level", ZSTD_LEVEL);
    return c;
  }

  private static String describe(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    String msg = e.getMessage();
    return msg == null ? e.getClass().getSimpleName() : msg;
  }

  /** The stock builder has no InputFile + ReadSupport factory; this is the documented extension point. */
  private static final class GroupReaderBuilder extends ParquetReader.Builder<Group> {
    GroupReaderBuilder(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }

  /** A Parquet file could not be read or written; the message names the file. */
  public static final class ParquetFileException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    ParquetFileException(String message, Throwable cause) {
      super(message, cause instanceof IOException io ? io : new IOException(message, cause));
    }
  }
}
