package io.infershield.auth.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Checklist B1 (validate every field's type), B7 (form-encoded bodies) and B8 (the device_code never shows). */
class DeviceAuthorizationResponseTest {

    private static final String JSON = "application/json";
    private static final String DEVICE_CODE = "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS";

    @Test
    void standardJsonResponseIsRead() {
        DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse("""
                {"device_code":"%s","user_code":"WDJB-MJHT",
                 "verification_uri":"https://idp.example/device",
                 "verification_uri_complete":"https://idp.example/device?user_code=WDJB-MJHT",
                 "expires_in":1800,"interval":7,"vendor_extension":[1,2]}""".formatted(DEVICE_CODE), JSON);

        assertEquals(new DeviceCode(DEVICE_CODE), response.deviceCode());
        assertEquals("WDJB-MJHT", response.userCode());
        assertEquals(URI.create("https://idp.example/device"), response.verificationUri());
        assertEquals(Optional.of(URI.create("https://idp.example/device?user_code=WDJB-MJHT")),
                response.verificationUriComplete());
        assertEquals(Duration.ofSeconds(1800), response.expiresIn());
        assertEquals(Duration.ofSeconds(7), response.interval());
    }

    @Test
    void numericStringsAreAcceptedForExpiresInAndInterval() {
        DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse("""
                {"device_code":"dc","user_code":"1234-5678","verification_uri":"https://idp.example/device",
                 "expires_in":"900","interval":"10"}""", JSON);

        assertEquals(Duration.ofSeconds(900), response.expiresIn());
        assertEquals(Duration.ofSeconds(10), response.interval());
        assertEquals("1234-5678", response.userCode());
    }

    @Test
    void intervalDefaultsToFiveSecondsAndTheCompleteUriIsOptional() {
        DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse("""
                {"device_code":"dc","user_code":"WDJB-MJHT","verification_uri":"https://idp.example/device",
                 "expires_in":900}""", JSON);

        assertEquals(Duration.ofSeconds(5), response.interval());
        assertEquals(Optional.empty(), response.verificationUriComplete());
    }

    @Test
    void formEncodedResponseIsRead() {
        // what GitHub answers when the request lacks Accept: application/json
        DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse(
                "device_code=3584d83530557fdd1f46af8289938c8ef79f9dc5&expires_in=900&interval=5"
                        + "&user_code=WDJB-MJHT&verification_uri=https%3A%2F%2Fgithub.com%2Flogin%2Fdevice",
                "application/x-www-form-urlencoded; charset=utf-8");

        assertEquals(new DeviceCode("3584d83530557fdd1f46af8289938c8ef79f9dc5"), response.deviceCode());
        assertEquals(URI.create("https://github.com/login/device"), response.verificationUri());
        assertEquals(Duration.ofSeconds(900), response.expiresIn());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":9}"
                    + " | 'device_code' is missing",
            "{\"device_code\":\"\",\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":9}"
                    + " | 'device_code' is missing",
            "{\"device_code\":\"d\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":9}"
                    + " | 'user_code' is missing",
            "{\"device_code\":\"d\",\"user_code\":\"U\",\"expires_in\":9}"
                    + " | 'verification_uri' is missing",
            "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\"}"
                    + " | 'expires_in' is missing",
            "{\"device_code\":\"d\",\"user_code\":12345678,\"verification_uri\":\"https://i.example/d\",\"expires_in\":9}"
                    + " | 'user_code' must be a string",
            "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":true}"
                    + " | 'expires_in' must be a whole number of seconds",
            "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":9.5}"
                    + " | 'expires_in' must be a whole number of seconds",
            "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":0}"
                    + " | 'expires_in' must be positive",
            "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":9,\"interval\":\"5s\"}"
                    + " | 'interval' must be a whole number of seconds",
            "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"javascript:alert(1)\",\"expires_in\":9}"
                    + " | 'verification_uri' must be an absolute http(s) URI",
            "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":9,\"verification_uri_complete\":7}"
                    + " | 'verification_uri_complete' must be a string",
            "{\"device_code\":\"d\",\"device_code\":\"e\",\"user_code\":\"U\",\"verification_uri\":\"https://i.example/d\",\"expires_in\":9}"
                    + " | the body is not valid JSON or repeats a field",
            "[\"device_code\"] | the body is not a JSON object",
            "{\"error\":\"device_flow_disabled\"} | the provider refused the request with device_flow_disabled" })
    void malformedResponsesAreRejectedWithTheReason(String body, String reason) {
        InvalidProviderResponse e = assertThrows(InvalidProviderResponse.class,
                () -> DeviceAuthorizationResponse.parse(body, JSON));

        assertEquals("Invalid device authorization response: " + reason + ".", e.getMessage());
    }

    @Test
    void adaptersCannotBuildAResponseWithoutADeadlineOrAnInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceAuthorizationResponse(new DeviceCode("dc"), "U", URI.create("https://i.example/d"),
                        Optional.empty(), Duration.ofSeconds(900), Duration.ZERO));

        assertEquals("expiresIn and interval must be positive", e.getMessage());
    }

    @Test
    void theDeviceCodeNeverAppearsInToStringOrErrorMessages() {
        DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse("""
                {"device_code":"%s","user_code":"WDJB-MJHT","verification_uri":"https://idp.example/device",
                 "expires_in":900}""".formatted(DEVICE_CODE), JSON);
        assertFalse(response.toString().contains(DEVICE_CODE), response.toString());
        assertFalse(response.deviceCode().toString().contains(DEVICE_CODE));

        for (String body : new String[] {
                "{\"device_code\":\"" + DEVICE_CODE + "\",\"user_code\":\"U\",\"expires_in\":\"soon\"}",
                "{\"device_code\":\"" + DEVICE_CODE + "\",\"user_code\":",
                "device_code=" + DEVICE_CODE + "&user_code=%ZZ",
                "{\"device_code\":[\"" + DEVICE_CODE + "\"]}",
                "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"" + DEVICE_CODE + "\",\"expires_in\":9}" }) {
            InvalidProviderResponse e = assertThrows(InvalidProviderResponse.class,
                    () -> DeviceAuthorizationResponse.parse(body, null));
            assertFalse(e.getMessage().contains(DEVICE_CODE), e.getMessage());
        }
    }
}
