package io.infershield.cli.command;

import io.infershield.cli.desktop.Browser;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;

/** How a command that waits for a device flow approval (RFC 8628 §3.3) shows the user code and the page to enter it. */
final class CodePrompt {

    private CodePrompt() {
    }

    /**
     * @param purpose     starts the first line, such as "To sign in"
     * @param openBrowser whether to open the page with the code filled in when there is one
     */
    static void show(PrintWriter out, Browser browser, boolean openBrowser, String purpose, String userCode,
                     URI verificationUri, Optional<URI> verificationUriComplete) {
        // The "Code:" line is what scripts and the end-to-end suite read; keep its shape stable.
        out.println(purpose + ", open " + verificationUri + " and enter the code.");
        out.println("Code: " + userCode);
        verificationUriComplete.ifPresent(uri -> out.println("Or open " + uri + " and confirm the code there."));
        if (openBrowser && browser.open(verificationUriComplete.orElse(verificationUri))) {
            out.println("Opened your browser. Check that it shows the code " + userCode + ".");
        }
        out.flush();
    }
}
