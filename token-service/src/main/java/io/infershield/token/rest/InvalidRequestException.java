package io.infershield.token.rest;

/** A request this API refuses with 400; the message is written for the caller and becomes the problem's detail. */
class InvalidRequestException extends RuntimeException {

    InvalidRequestException(String detail) {
        super(detail, null, false, false);
    }
}
