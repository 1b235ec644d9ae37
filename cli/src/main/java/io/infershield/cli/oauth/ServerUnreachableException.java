package io.infershield.cli.oauth;

/** The authorization server could not be reached at all (connection refused, DNS, timeout). */
public class ServerUnreachableException extends Exception {

    public ServerUnreachableException(String url, Throwable cause) {
        super("Cannot reach " + url + ": " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no answer in time";
            }
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "unknown host";
            }
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
