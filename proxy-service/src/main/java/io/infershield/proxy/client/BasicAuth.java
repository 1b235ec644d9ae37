package io.infershield.proxy.client;

import io.infershield.proxy.config.ProxyConfig;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

final class BasicAuth {

    private BasicAuth() {
    }

    /** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
    static String header(ProxyConfig.Caller caller) {
        String pair = URLEncoder.encode(caller.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(caller.clientSecret(), StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
