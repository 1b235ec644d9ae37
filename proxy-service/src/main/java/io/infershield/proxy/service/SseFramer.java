package io.infershield.proxy.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a {@code text/event-stream} (WHATWG HTML §9.2) into events at blank lines, as its bytes arrive in chunks that
 * fall anywhere. Each event is returned whole, its blank line included, so that an event passed on unread leaves byte
 * for byte as it came. Not thread-safe: one instance per stream.
 */
final class SseFramer {

    /** An upstream event larger than this is not an SSE answer: the relay gives up rather than buffer it. */
    static final int MAX_EVENT_BYTES = 1 << 20;

    private byte[] pending = new byte[8192];
    private int length;
    /** Where the line still open starts, so that it is read again from there with the next chunk. */
    private int scanned;

    /** The events {@code chunk} completes, in order (possibly none). */
    List<String> feed(byte[] chunk) {
        if (length + chunk.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + chunk.length));
        }
        System.arraycopy(chunk, 0, pending, length, chunk.length);
        length += chunk.length;
        List<String> events = new ArrayList<>();
        int eventStart = 0;
        int lineStart = scanned;
        for (int i = scanned; i < length; i++) {
            if (pending[i] != '\n') {
                continue;
            }
            int lineEnd = i > lineStart && pending[i - 1] == '\r' ? i - 1 : i;
            boolean blank = lineEnd == lineStart;
            lineStart = i + 1;
            if (blank) {
                events.add(new String(pending, eventStart, i + 1 - eventStart, StandardCharsets.UTF_8));
                eventStart = i + 1;
            }
        }
        length -= eventStart;
        System.arraycopy(pending, eventStart, pending, 0, length);
        scanned = lineStart - eventStart;
        if (length > MAX_EVENT_BYTES) {
            throw new IllegalStateException("upstream event exceeds " + MAX_EVENT_BYTES + " bytes");
        }
        return events;
    }

    /** The stream ended: the last event when no blank line closed it, else null. */
    String rest() {
        String rest = length > 0 ? new String(pending, 0, length, StandardCharsets.UTF_8) : null;
        length = 0;
        scanned = 0;
        return rest;
    }

    /** The data of an event: its {@code data:} lines joined by newlines, or null when it has none. */
    static String data(String raw) {
        StringBuilder data = null;
        for (String line : raw.split("\r?\n")) {
            if (line.startsWith("data:")) {
                String value = line.startsWith("data: ") ? line.substring(6) : line.substring(5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return data == null ? null : data.toString();
    }

    /** {@code raw} with its data replaced by {@code data}: its other lines ({@code event:}, {@code id:}) are kept. */
    static String withData(String raw, String data) {
        StringBuilder out = new StringBuilder();
        for (String line : raw.split("\r?\n")) {
            if (!line.isEmpty() && !line.startsWith("data:")) {
                out.append(line).append('\n');
            }
        }
        return out.append("data: ").append(data).append("\n\n").toString();
    }
}
