package dev.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure the code keeps, checked on every build (main classes of all modules; this module's
 * tests see them all). Layers, bottom up, by module: {@code core} (classifier inference:
 * {@code classifier}, {@code classifier.base/encoder/features/text/onnx}; {@code routing}, the
 * selection shared by the gateway and the harness; {@code dataset}, {@code dataset.recorded}: rows,
 * prices, the recorded-answer interface); beside each other on top of it {@code datasets}
 * ({@code dataset.parquet}, {@code dataset.importer}: the files, Parquet and Hadoop) and
 * {@code classifier} (training: {@code classifier.learn/heads/train/bench}, {@code routing.metrics});
 * the gateway ({@code router..}); the offline harness ({@code eval..}); on top, the command line
 * ({@code cli..}, the switchboard-cli module: every picocli command and the one main).
 */
class ArchitectureTest {

  /** Packages of the core module: what the gateway runs. */
  private static final String[] CORE = {"dev.switchboard.classifier", "dev.switchboard.classifier.base..",
      "dev.switchboard.classifier.encoder..", "dev.switchboard.classifier.features..", "dev.switchboard.classifier.text..",
      "dev.switchboard.classifier.onnx..", "dev.switchboard.routing", "dev.switchboard.dataset", "dev.switchboard.dataset.recorded.."};

  /** Packages of the datasets module: datasets and recorded answers as files. */
  private static final String[] DATASETS = {"dev.switchboard.dataset.parquet..", "dev.switchboard.dataset.importer.."};

  /** Packages of the classifier module: the model family, its training, routing metrics. */
  private static final String[] TRAINING = {"dev.switchboard.classifier.learn..", "dev.switchboard.classifier.heads..",
      "dev.switchboard.classifier.train..", "dev.switchboard.classifier.bench..", "dev.switchboard.routing.metrics.."};

  private static final String[] PARQUET = {"org.apache.parquet..", "org.apache.hadoop.."};

  private static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    // Main classes only: not this module's test classes, nor the test jars (router-service's, eval-harness's) on this classpath.
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.switchboard");
  }

  /** A cycle makes two packages one unit you cannot read, test or move apart. */
  @Test
  void noPackageCycles() {
    ArchRule rule = slices().matching("dev.switchboard.(**)").should().beFreeOfCycles();
    rule.check(main);
  }

  @Test
  void classifierKnowsNothingOfTheGatewayOrTheHarness() {
    ArchRule rule = noClasses()
        .that().resideInAnyPackage("dev.switchboard.classifier..", "dev.switchboard.routing..", "dev.switchboard.dataset..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.router..", "dev.switchboard.eval..");
    rule.check(main);
  }

  /**
   * The core module (what the gateway runs: inference, selection, prices, the recorded-answer
   * interface) knows nothing of training (the classifier module) or of Parquet (the datasets module).
   */
  @Test
  void coreKnowsNothingOfTrainingOrParquet() {
    ArchRule rule = noClasses()
        .that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(concat(TRAINING, DATASETS, PARQUET));
    rule.check(main);
  }

  /** The datasets module reads and writes files of core's types; it knows nothing of training. */
  @Test
  void datasetsKnowNothingOfTraining() {
    ArchRule rule = noClasses()
        .that().resideInAnyPackage(DATASETS)
        .should().dependOnClassesThat().resideInAnyPackage(TRAINING);
    rule.check(main);
  }

  /**
   * Training takes rows, not files: the classifier module's main code never reads Parquet (its tests
   * do, through the datasets module, a test dependency); the CLI reads datasets and hands rows over.
   */
  @Test
  void trainingReadsNoFiles() {
    ArchRule rule = noClasses()
        .that().resideInAnyPackage(TRAINING)
        .should().dependOnClassesThat().resideInAnyPackage(concat(DATASETS, PARQUET));
    rule.check(main);
  }

  /**
   * The gateway reads recorded answers through the core interface; Parquet (the datasets module)
   * comes only with the launcher and the embedded defaults, as a service.
   */
  @Test
  void gatewayDoesNotReadParquet() {
    ArchRule rule = noClasses()
        .that().resideInAPackage("dev.switchboard.router..")
        .should().dependOnClassesThat().resideInAnyPackage(concat(DATASETS, PARQUET));
    rule.check(main);
  }

  @Test
  void gatewayKnowsNothingOfTheHarness() {
    ArchRule rule = noClasses()
        .that().resideInAPackage("dev.switchboard.router..")
        .should().dependOnClassesThat().resideInAPackage("dev.switchboard.eval..");
    rule.check(main);
  }

  /**
   * The command line is the top layer: nothing below it imports a command, an option class or the
   * main, so the harness and the gateway run (and are tested) without a command line.
   */
  @Test
  void nothingDependsOnTheCli() {
    ArchRule rule = noClasses()
        .that().resideOutsideOfPackage("dev.switchboard.cli..")
        .should().dependOnClassesThat().resideInAPackage("dev.switchboard.cli..");
    rule.check(main);
  }

  /**
   * Governance (keys, budgets, limits, audit) is a library the gateway uses: it knows nothing of the
   * gateway, the classifier or the harness, so its store and counter suites run without them, and
   * the gateway reaches it only through its own {@code router.governance} package.
   */
  @Test
  void governanceIsALibraryTheGatewayUses() {
    noClasses().that().resideInAPackage("dev.switchboard.governance..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.router..", "dev.switchboard.eval..",
            "dev.switchboard.classifier..", "dev.switchboard.routing..", "dev.switchboard.dataset..")
        .check(main);
    noClasses().that().resideInAPackage("dev.switchboard.router..")
        .and().resideOutsideOfPackage("dev.switchboard.router.governance..")
        .should().dependOnClassesThat().resideInAPackage("dev.switchboard.governance..")
        .check(main);
  }

  /** Only the command line uses picocli: library code takes plain options records that a command fills in. */
  @Test
  void onlyTheCliUsesPicocli() {
    ArchRule rule = noClasses()
        .that().resideOutsideOfPackage("dev.switchboard.cli..")
        .should().dependOnClassesThat().resideInAPackage("picocli..");
    rule.check(main);
  }

  /** Inference and routing never train: the gateway loads a trained model, it does not fit one. */
  @Test
  void gatewayDoesNotTrain() {
    ArchRule rule = noClasses()
        .that().resideInAPackage("dev.switchboard.router..")
        .should().dependOnClassesThat().resideInAnyPackage(TRAINING);
    rule.check(main);
  }

  /**
   * The provider adapters' wire mappers are internal to the providers: the rest of the gateway
   * speaks the adapter contract ({@code router.providers.contract}) and the {@code Provider} interface.
   */
  @Test
  void wireMappersAreInternalToProviders() {
    ArchRule rule = classes()
        .that().resideInAnyPackage("dev.switchboard.router.providers.anthropic..", "dev.switchboard.router.providers.gemini..",
            "dev.switchboard.router.providers.openai..")
        .should().onlyBeAccessed().byAnyPackage("dev.switchboard.router.providers..");
    rule.check(main);
  }

  /** The adapter contract is the bottom of the gateway: plain data and errors, no HTTP server, no routing. */
  @Test
  void contractDependsOnNoOtherGatewayPackage() {
    ArchRule rule = noClasses()
        .that().resideInAPackage("dev.switchboard.router.providers.contract..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.router.chat..", "dev.switchboard.router.http..",
            "dev.switchboard.router.evaldriven..", "dev.switchboard.router.requestlog..", "dev.switchboard.router.config..",
            "dev.switchboard.router.upstream..");
    rule.check(main);
  }
}
