package io.infershield.auth.service;

/**
 * The signed-in or authenticated user is disabled by an administrator, so nothing new is issued to them: no device
 * approval, personal key or provider link. Answered 403 with the code {@code user_disabled} (a page in the browser).
 */
public class UserDisabled extends RuntimeException {

    /** The stable code the problem carries in its {@code error} member. */
    public static final String CODE = "user_disabled";

    public UserDisabled() {
        super("Your account is disabled. Ask your administrator to enable it again.", null, false, false);
    }
}
