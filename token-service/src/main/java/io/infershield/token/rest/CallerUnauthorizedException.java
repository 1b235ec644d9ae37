package io.infershield.token.rest;

/** The internal caller did not present valid HTTP Basic credentials. */
class CallerUnauthorizedException extends RuntimeException {

    CallerUnauthorizedException() {
        super("Valid HTTP Basic credentials of the internal caller are required", null, false, false);
    }
}
