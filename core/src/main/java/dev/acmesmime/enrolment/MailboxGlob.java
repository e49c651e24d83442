package dev.acmesmime.enrolment;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A glob on a whole mailbox, case-insensitive: {@code *} any run of characters, {@code ?} one character,
 * everything else itself ({@code *@org.test}, {@code noreply*@*}).
 */
public record MailboxGlob(String glob, Pattern pattern) {

    public static MailboxGlob of(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new MailboxGlob(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(String mailbox) {
        return pattern.matcher(mailbox.toLowerCase(Locale.ROOT)).matches();
    }
}
