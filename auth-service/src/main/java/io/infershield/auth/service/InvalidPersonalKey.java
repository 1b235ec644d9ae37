package io.infershield.auth.service;

/** A personal key request the account page refuses; the message is written for the user and names no secret. */
public class InvalidPersonalKey extends RuntimeException {

    public InvalidPersonalKey(String message) {
        super(message, null, false, false);
    }
}
