package io.infershield.testkit.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Fails fast when a fixed port is taken, so a leftover server is never mistaken for the one just started. */
public final class Ports {

    private Ports() {
    }

    public static void requireFree(String owner, int... ports) {
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                throw new IllegalStateException(owner + " needs 127.0.0.1:" + port + ", which another process holds."
                        + " Stop it (for example an earlier local stack) and try again.");
            }
        }
    }
}
