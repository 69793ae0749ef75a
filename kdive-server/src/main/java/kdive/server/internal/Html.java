package kdive.server.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The only way text reaches the web UI's HTML: {@link #esc} for element content and quoted attribute
 * values, {@link #url} for query parameters. Report text is hostile input (a log line may say
 * {@code <script>} or {@code "><img onerror=...>}), so no page concatenates a value without one of them.
 */
public final class Html {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Html() {}

    /** Escapes the five characters that matter in content and in double- or single-quoted attributes. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        var b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // Other C0 controls are not allowed in HTML text; show them as U+FFFD.
                    if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') {
                        b.append('\uFFFD');
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A query-parameter value, percent-encoded (still pass the whole URL through {@link #esc}). */
    public static String url(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    public static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis)) + " UTC";
    }

    /** A whole page: shared header, the stylesheet served by this server, no script at all. */
    public static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · kdive fleet</title>
                <link rel="stylesheet" href="/static/kdive.css">
                </head>
                <body>
                <header><a href="/buckets" class="brand">kdive fleet</a></header>
                <main>
                %s
                </main>
                </body>
                </html>
                """.formatted(esc(title), body);
    }
}
