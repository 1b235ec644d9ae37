package io.infershield.cli.desktop;

/**
 * Work to do when the user stops the command (Ctrl-C, SIGTERM): the JVM runs shutdown hooks then, not the code after
 * the wait the command was in. Tests replace it to press Ctrl-C without a signal.
 */
@FunctionalInterface
public interface ShutdownHooks {

    /** Runs {@code hook} if the process is stopped before the returned registration is closed. */
    Registration add(Runnable hook);

    /** A registered hook; closing it means the work is no longer needed. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** {@link Runtime#addShutdownHook}. */
    ShutdownHooks SYSTEM = hook -> {
        Thread thread = new Thread(hook, "infershield-shutdown");
        Runtime.getRuntime().addShutdownHook(thread);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(thread);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs, and decides for itself whether anything is left to do
            }
        };
    };
}
