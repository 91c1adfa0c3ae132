package dev.switchboard.dataset.parquet;

import dev.switchboard.dataset.recorded.RecordedAnswers;
import java.nio.file.Path;

/** The Parquet reader of recorded answers, as the {@link RecordedAnswers#load} service. */
public final class ParquetAnswersFormat implements RecordedAnswers.Format {

  @Override
  public RecordedAnswers load(Path file) {
    return ParquetRecordedAnswers.load(file);
  }
}
