package io.infershield.proxy.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Data leaving through a model response: markdown images (fetched by the IDE without a click) and links whose
 * URL points at a host outside the trusted set and carries data in its query or path, and any URL that embeds a
 * secret. Hand-written single-pass scanner.
 */
public final class ExfiltrationDetector implements Detector {

    private static final int MIN_PAYLOAD = 16;
    private static final int MAX_URL = 4096;
    /** Delimiters that end a URL in markdown or HTML (RFC 3986 §2 leaves them out of unencoded URLs). */
    private static final String NOT_IN_URL = "()[]<>\"'`";
    private static final int MAX_LABEL = 512;

    private final Set<String> trustedHosts;
    private final SecretDetector secrets;

    /**
     * @param trustedHosts hosts (and their subdomains) a response may reference freely, lower case
     * @param secrets      used to spot secrets carried inside URLs
     */
    public ExfiltrationDetector(Set<String> trustedHosts, SecretDetector secrets) {
        this.trustedHosts = Set.copyOf(trustedHosts);
        this.secrets = secrets;
    }

    @Override
    public List<Finding> scan(String text, Direction direction) {
        List<Finding> out = new ArrayList<>();
        int n = text.length();
        for (int p = text.indexOf("](", 0); p >= 0; p = text.indexOf("](", p + 2)) {
            int urlStart = p + 2;
            if (!isUrlStart(text, urlStart)) {
                continue;
            }
            int urlEnd = urlStart;
            while (urlEnd < n && urlEnd - urlStart < MAX_URL && NOT_IN_URL.indexOf(text.charAt(urlEnd)) < 0
                    && !Character.isWhitespace(text.charAt(urlEnd))) {
                urlEnd++;
            }
            // the label is short: look back a bounded distance for its '['
            int open = -1;
            for (int i = p - 1; i >= 0 && p - i <= MAX_LABEL; i--) {
                if (text.charAt(i) == '[') {
                    open = i;
                    break;
                }
            }
            boolean image = open > 0 && text.charAt(open - 1) == '!';
            judge(text, open >= 0 ? (image ? open - 1 : open) : urlStart, urlStart, urlEnd,
                    image ? "markdown_image" : "markdown_link", image, out);
        }
        for (int p = indexOfImg(text, 0); p >= 0; p = indexOfImg(text, p + 4)) {
            int src = -1;
            for (int i = p + 4; i + 4 <= n && i - p < MAX_LABEL; i++) {
                if (text.regionMatches(true, i, "src=", 0, 4)) {
                    src = i;
                    break;
                }
            }
            if (src < 0) {
                continue;
            }
            int us = src + 4;
            if (us < n && (text.charAt(us) == '"' || text.charAt(us) == '\'')) {
                us++;
            }
            if (!isUrlStart(text, us)) {
                continue;
            }
            int ue = us;
            while (ue < n && ue - us < MAX_URL && NOT_IN_URL.indexOf(text.charAt(ue)) < 0
                    && !Character.isWhitespace(text.charAt(ue))) {
                ue++;
            }
            judge(text, p, us, ue, "html_image", true, out);
        }
        return out;
    }

    private void judge(String text, int spanStart, int us, int ue, String type, boolean image, List<Finding> out) {
        String url = text.substring(us, ue);
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://") && !lower.startsWith("//")) {
            return;
        }
        int hs = lower.indexOf("//") + 2;
        int he = hs;
        while (he < lower.length() && "/?#".indexOf(lower.charAt(he)) < 0) {
            he++;
        }
        String host = lower.substring(hs, he);
        int at = host.lastIndexOf('@');
        host = at >= 0 ? host.substring(at + 1) : host;
        int colon = host.indexOf(':');
        host = colon >= 0 ? host.substring(0, colon) : host;
        if (trusted(host)) {
            return;
        }
        int end = ue < text.length() && text.charAt(ue) == ')' ? ue + 1 : ue;
        if (!secrets.scan(url, Direction.RESPONSE).isEmpty()) {
            out.add(new Finding(Category.EXFILTRATION, type, spanStart, end, 95,
                    "rule:exfil-secret-in-url host=" + host));
            return;
        }
        int q = lower.indexOf('?', he);
        int payload = q >= 0 ? lower.length() - q - 1 : 0;
        int longestSegment = 0;
        int seg = 0;
        for (int i = he; i < (q >= 0 ? q : lower.length()); i++) {
            seg = lower.charAt(i) == '/' ? 0 : seg + 1;
            longestSegment = Math.max(longestSegment, seg);
        }
        if (payload >= MIN_PAYLOAD || (image && longestSegment >= 48)) {
            out.add(new Finding(Category.EXFILTRATION, type, spanStart, end, image ? 85 : 65,
                    "rule:exfil-" + (image ? "image" : "link") + "-with-data host=" + host));
        }
    }

    private static boolean isUrlStart(String text, int i) {
        return text.regionMatches(true, i, "http://", 0, 7) || text.regionMatches(true, i, "https://", 0, 8)
                || text.startsWith("//", i);
    }

    /** Next {@code <img} from {@code from}, case-insensitive: a scan for {@code <} first, so one pass over the text. */
    private static int indexOfImg(String text, int from) {
        for (int i = text.indexOf('<', from); i >= 0; i = text.indexOf('<', i + 1)) {
            if (text.regionMatches(true, i + 1, "img", 0, 3)) {
                return i;
            }
        }
        return -1;
    }

    private boolean trusted(String host) {
        for (String t : trustedHosts) {
            if (host.equals(t) || host.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }
}
