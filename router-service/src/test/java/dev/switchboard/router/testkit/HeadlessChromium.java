package dev.switchboard.router.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's chromium and chromedriver, headless, offline and with the browser console captured: the real-browser tests
 * of the report (eval-harness) and of the dashboard (embedded) share this setup.
 */
public final class HeadlessChromium {
  public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  public static final Path DRIVER = Paths.get("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /**
   * Starts a browser; fails (never skips) when chromium or chromedriver is missing: .ci/run installs both.
   *
   * @param width initial window width in CSS pixels
   * @return the driver; quit it when done
   */
  public static ChromeDriver start(int width) throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "no /usr/bin/chromium or /usr/bin/chromedriver: install Debian's chromium and chromium-driver (./run-tests does)");
    ChromeOptions opts = new ChromeOptions();
    opts.setBinary(CHROMIUM.toString());
    opts.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("sb-chromium"), "--window-size=" + width + ",900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    opts.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, opts);
  }

  /** Fails on any browser-console warning or error since the last call. */
  public static void assertNoConsoleProblems(ChromeDriver driver) {
    List<LogEntry> problems = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertTrue(problems.isEmpty(), "browser console: " + problems);
  }
}
