package io.infershield.cli.desktop;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.net.URI;
import java.util.List;

/** Opens the verification page for the user. Best effort: the printed URL is always the way that works. */
@FunctionalInterface
public interface Browser {

    /** @return whether a browser was (probably) opened */
    boolean open(URI uri);

    /** java.awt.Desktop where there is a display, else xdg-open (Linux, BSD) or open (macOS) when on the PATH. */
    Browser SYSTEM = uri -> {
        try {
            if (!GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                    && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(uri);
                return true;
            }
        } catch (Exception | LinkageError e) {
            // Fall through to the launchers: AWT is missing or refuses on many minimal JDKs and remote sessions.
        }
        for (String launcher : List.of("xdg-open", "open")) {
            if (onPath(launcher)) {
                try {
                    new ProcessBuilder(launcher, uri.toString())
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
                    return true;
                } catch (Exception e) {
                    return false;
                }
            }
        }
        return false;
    };

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
