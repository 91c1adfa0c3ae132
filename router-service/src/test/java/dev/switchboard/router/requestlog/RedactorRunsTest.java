package dev.switchboard.router.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.switchboard.router.providers.contract.Secrets;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Redactor} runs its e-mail and number patterns only on the runs of characters they can
 * match; this holds it to the same patterns applied to the whole text, on fuzzed text full of
 * addresses, numbers, separators and look-around edge cases.
 */
class RedactorRunsTest {

  /** The redaction with every pattern (and libphonenumber) on the whole text, as before the runs and windows. */
  private static String reference(String text) {
    String s = Secrets.scrub(text);
    if (s.indexOf('@') >= 0) {
      s = Redactor.EMAIL_RE.matcher(s).replaceAll(Matcher.quoteReplacement(Redactor.EMAIL));
    }
    if (s.chars().filter(c -> c >= '0' && c <= '9').count() >= 7) {
      s = replaceIf(s, Redactor.CARD_CANDIDATE, m -> Redactor.isCard(m) ? Redactor.CARD : null);
      s = Redactor.SSN_RE.matcher(s).replaceAll(Matcher.quoteReplacement(Redactor.SSN));
      s = validPhones(s);
      s = replaceIf(s, Redactor.PHONE_CANDIDATE, m -> Redactor.isPhone(m) ? Redactor.PHONE : null);
    }
    return Redactor.redactLongTokens(s);
  }

  /** Every phone number libphonenumber finds valid in the whole text. */
  private static String validPhones(String s) {
    StringBuilder out = new StringBuilder();
    int last = 0;
    for (PhoneNumberMatch m : PhoneNumberUtil.getInstance().findNumbers(s, Redactor.DEFAULT_REGION, PhoneNumberUtil.Leniency.VALID,
        Long.MAX_VALUE)) {
      out.append(s, last, m.start()).append(Redactor.PHONE);
      last = m.end();
    }
    return out.append(s, last, s.length()).toString();
  }

  private static String replaceIf(String s, Pattern p, Function<String, String> f) {
    Matcher m = p.matcher(s);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String r = f.apply(m.group());
      if (r != null) {
        out.append(s, last, m.start()).append(r);
        last = m.end();
      }
    }
    return out.append(s, last, s.length()).toString();
  }

  @Test
  void runsFindWhatTheWholeTextFinds() {
    String[] pieces = {"jane.doe+tag@mail.example.co.uk", "a@b", "@", "x@y.z", "bob@example.org", "@@", "me@ex-ample.com.",
        "+1 415 555 0100", "(415) 555-0100", "415.555.0100", "6502530000", "020 7946 0958", "+441632960961", "123-45-6789",
        "000-12-3456", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005", "2026-11-25", "192.168.10.254",
        "1234567", "12", "-", ".", "(", ")", "+", " ", "  ", "\n", "x", "word", "_", "é", "Call", "ext. 12", "#", "1.5", "3",
        "sk-proj-abcDEF1234567890abcdef", "%", "9", "0"};
    Random r = new Random(23);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + r.nextInt(i % 2 == 0 ? 10 : 40); // long ones: the phone windows are smaller than the text
      for (int j = 0; j < n; j++) {
        b.append(pieces[r.nextInt(pieces.length)]);
        if (r.nextBoolean()) {
          b.append(' ');
        }
      }
      String text = b.toString();
      assertEquals(reference(text), Redactor.redact(text), "in: " + text);
    }
  }
}
