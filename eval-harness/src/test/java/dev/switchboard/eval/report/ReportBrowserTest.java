package dev.switchboard.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** Opens report.html in headless Chromium: no console errors, every chart rendered with a size. */
class ReportBrowserTest {

  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path DRIVER = Paths.get("/usr/bin/chromedriver");

  @Test
  void reportRendersWithoutErrorsAndChartsAreVisible() throws Exception {
    // Not an assumption: a missing browser must fail the suite, not skip it (.ci/run installs both).
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "no /usr/bin/chromium or /usr/bin/chromedriver: install Debian's chromium and chromium-driver (./run-tests does)");
    Path target = Paths.get(System.getProperty("java.io.tmpdir")).getParent();
    Path dir = Files.createDirectories(target.resolve("report-browser"));
    Path html = dir.resolve("report.html");
    Files.writeString(html, HtmlReport.render(ReportFixture.result()));

    ChromeOptions opts = new ChromeOptions();
    opts.setBinary(CHROMIUM.toString());
    opts.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("sb-chromium"), "--window-size=1100,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    opts.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, opts);
    try {
      driver.get(html.toUri().toString());
      long height = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
      driver.manage().window().setSize(new Dimension(1100, (int) Math.min(height + 40, 12000)));
      assertTrue(driver.getTitle().startsWith("Switchboard routing report"), driver.getTitle());
      List<WebElement> charts = driver.findElements(By.cssSelector("svg.chart"));
      assertEquals(4, charts.size());
      for (WebElement c : charts) {
        assertTrue(c.isDisplayed(), c.getAttribute("id"));
        assertTrue(c.getSize().getWidth() > 300 && c.getSize().getHeight() > 100, c.getAttribute("id") + " " + c.getSize());
        assertTrue(c.findElements(By.cssSelector("polyline, rect, circle, path")).size() > 5, c.getAttribute("id"));
        Files.copy(c.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(c.getAttribute("id") + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.copy(driver.findElement(By.cssSelector("header")).getScreenshotAs(OutputType.FILE).toPath(),
          dir.resolve("header.png"), StandardCopyOption.REPLACE_EXISTING);
      String verdict = driver.findElement(By.cssSelector(".verdict")).getText();
      assertTrue(verdict.contains("Against random routing it wins"), verdict);
      List<LogEntry> problems = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
      assertTrue(problems.isEmpty(), "browser console: " + problems);

      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, target.resolve("report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      driver.quit();
    }
  }
}
